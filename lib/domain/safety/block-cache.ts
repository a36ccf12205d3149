import type { SequencedEvent } from "../../events/event-types";
import type { BlockKind, BlockRow } from "../../store/block-repository";

/** Who must not receive a delivery: undefined (nobody, the usual case) or a set of users. */
export type Hidden = ReadonlySet<string> | undefined;

/**
 * This node's copy of every block and mute, so that delivery, sync, search and history check
 * them with a map lookup, never a query: loaded at start, kept current by `block.added` /
 * `block.removed` (which reach every node in log order), and at once on the node that made
 * the change. With no block anywhere every check returns at its first line.
 */
export class BlockCache {
  /** blocked user → the users who blocked or muted them. */
  private readonly blockersOf = new Map<string, Set<string>>();
  /** blocker → the users they blocked or muted, with the kind. */
  private readonly blockedBy = new Map<string, Map<string, BlockKind>>();
  private touched: Set<string> | null = null;

  /** The users who blocked or muted `actorId` (their deliveries of the actor are dropped). */
  blockersOfActor(actorId: string | undefined): Hidden {
    if (this.blockersOf.size === 0 || actorId === undefined) return undefined;
    return this.blockersOf.get(actorId);
  }

  /** The users `viewerId` blocked or muted (empty for almost everyone). */
  blockedByViewer(viewerId: string): ReadonlyMap<string, BlockKind> | undefined {
    if (this.blockedBy.size === 0) return undefined;
    return this.blockedBy.get(viewerId);
  }

  /** A `block` (not a mute) either way between the two. */
  blockedEitherWay(a: string, b: string): boolean {
    return this.blockedBy.get(a)?.get(b) === "block" || this.blockedBy.get(b)?.get(a) === "block";
  }

  /** Users who must not receive this stored event: its sender's or reactor's blockers. */
  hiddenFromStored(event: SequencedEvent): Hidden {
    if (this.blockersOf.size === 0) return undefined;
    return this.blockersOfActor(actorOf(event));
  }

  /** Users who must not receive a typing or presence frame of `frame.user_id`. */
  hiddenFromEphemeral(frame: Record<string, unknown>): Hidden {
    if (this.blockersOf.size === 0 || typeof frame.user_id !== "string") return undefined;
    return this.blockersOf.get(frame.user_id);
  }

  set(blockerId: string, blockedId: string, kind: BlockKind | null): void {
    this.touched?.add(`${blockerId}/${blockedId}`);
    if (kind) {
      this.add(blockerId, blockedId, kind);
      return;
    }
    const blockers = this.blockersOf.get(blockedId);
    blockers?.delete(blockerId);
    if (blockers?.size === 0) this.blockersOf.delete(blockedId);
    const blocked = this.blockedBy.get(blockerId);
    blocked?.delete(blockedId);
    if (blocked?.size === 0) this.blockedBy.delete(blockerId);
  }

  /** A deleted account: every block by or of the user goes. */
  forget(userId: string): void {
    for (const blocked of [...(this.blockedBy.get(userId)?.keys() ?? [])])
      this.set(userId, blocked, null);
    for (const blocker of [...(this.blockersOf.get(userId) ?? [])]) this.set(blocker, userId, null);
  }

  /** Start after the realtime hub follows the log, so no change falls between the two. */
  async load(read: () => Promise<BlockRow[]>): Promise<void> {
    this.touched = new Set();
    try {
      for (const row of await read()) {
        if (!this.touched.has(`${row.blocker_id}/${row.blocked_id}`)) {
          this.add(row.blocker_id, row.blocked_id, row.kind);
        }
      }
    } finally {
      this.touched = null;
    }
  }

  /** The hub's observer. */
  observe(event: SequencedEvent): void {
    if (event.type === "user.deleted") {
      this.forget((event.frame.data as { user_id: string }).user_id);
      return;
    }
    if (event.type !== "block.added" && event.type !== "block.removed") return;
    const data = event.frame.data as { user_id: string; blocked_user_id: string; kind?: BlockKind };
    this.set(data.user_id, data.blocked_user_id, event.type === "block.added" ? data.kind! : null);
  }

  private add(blockerId: string, blockedId: string, kind: BlockKind): void {
    let blockers = this.blockersOf.get(blockedId);
    if (!blockers) this.blockersOf.set(blockedId, (blockers = new Set()));
    blockers.add(blockerId);
    let blocked = this.blockedBy.get(blockerId);
    if (!blocked) this.blockedBy.set(blockerId, (blocked = new Map()));
    blocked.set(blockedId, kind);
  }
}

/** Whose event it is, for blocking: a message's sender, a reaction's user. */
function actorOf(event: SequencedEvent): string | undefined {
  if (event.type === "message.new" || event.type === "message.updated") {
    return (event.frame.data as { sender_id?: string } | undefined)?.sender_id;
  }
  if (event.type === "reaction.added" || event.type === "reaction.removed") {
    return (event.frame.data as { user_id?: string } | undefined)?.user_id;
  }
  return undefined;
}
