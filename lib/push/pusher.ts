import type { PushDeviceRow } from "../store/push-device-repository";

/**
 * A notification as planned (stored in `push_queue.payload`): ids and the member's badge
 * counts always; sender, conversation name and content only in `push.payload: full` mode.
 */
export interface PushNotification {
  message_id: string;
  conversation_id: string;
  /** The member's unread and mention counts in this conversation (the badge rules). */
  unread_count: number;
  mention_count: number;
  /** Unread over the member's conversations that may notify (the app icon's badge). */
  total_unread_count: number;
  /** Messages folded into this one while it waited (same device and conversation). */
  collapsed_count?: number;
  seq?: number;
  sender_id?: string;
  sender_name?: string | null;
  conversation_type?: string;
  conversation_name?: string | null;
  content?: string | null;
}

/**
 * One try's outcome. `gone`: the push service or gateway says the device no longer exists
 * (the device is removed); `permanent`: retrying the same request cannot succeed.
 */
export type PushResult =
  { ok: true } | { ok: false; error: string; gone?: boolean; permanent?: boolean };

/** Sends one notification to one device of its kind. Never throws. */
export interface Pusher {
  send(device: PushDeviceRow, notification: PushNotification): Promise<PushResult>;
}

/** Statuses after which the same request would fail again. */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
