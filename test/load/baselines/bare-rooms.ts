import crypto from "node:crypto";

/** Room membership and per-conversation sequence numbers for the bare baseline servers. */
export class BareRooms<S> {
  private readonly rooms = new Map<string, Set<S>>();
  private readonly seqs = new Map<string, number>();

  join(id: string, socket: S): void {
    let room = this.rooms.get(id);
    if (!room) this.rooms.set(id, (room = new Set()));
    room.add(socket);
  }

  leave(id: string, socket: S): void {
    this.rooms.get(id)?.delete(socket);
  }

  members(id: string): Iterable<S> {
    return this.rooms.get(id) ?? [];
  }

  /** The Message the service would have sent, minus what needs a database. */
  message(senderId: string, frame: Record<string, unknown>) {
    const conversationId = String(frame.conversation_id);
    const seq = (this.seqs.get(conversationId) ?? 0) + 1;
    this.seqs.set(conversationId, seq);
    return {
      id: crypto.randomUUID(),
      conversation_id: conversationId,
      sender_id: senderId,
      seq,
      content: frame.content,
      metadata: frame.metadata ?? {},
      parent_id: null,
      reply_count: 0,
      attachments: [],
      reactions: [],
      client_msg_id: frame.client_msg_id ?? null,
      created_at: new Date().toISOString(),
      edited_at: null,
      deleted_at: null,
      mentions: [],
    };
  }
}
