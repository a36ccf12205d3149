/** The push payload fields a notification shows (docs/protocol.md, "Push notifications"). */
export interface PushPayload {
  conversation_id?: string;
  sender_name?: string | null;
  conversation_name?: string | null;
  content?: string | null;
  collapsed_count?: number;
}

/** Title and body of a push: the sender and content, or a generic text in `ids` mode. */
export function notificationOf(payload: PushPayload): { title: string; body: string } {
  const more = payload.collapsed_count ? ` (+${payload.collapsed_count} more)` : "";
  if (payload.content == null)
    return { title: "New message", body: `You have a new message${more}` };
  const from = payload.sender_name ?? "Someone";
  const title = payload.conversation_name ? `${from} in ${payload.conversation_name}` : from;
  return { title, body: `${payload.content}${more}` };
}
