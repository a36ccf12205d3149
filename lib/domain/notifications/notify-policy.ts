/**
 * The one rule for "should this message notify this member": push (and any other
 * notifier) calls it, so levels, mutes and mentions mean the same everywhere. Pure: no
 * I/O, the caller gathers the facts (the member's stored level resolved with
 * `effectiveLevel`, their mute, and whether the message mentions them).
 */

export const NOTIFICATION_LEVELS = ["all", "mentions", "none"] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];

/** Per conversation type, what a member who never chose a level gets (config `notifications.default_level`). */
export interface NotificationDefaults {
  direct: NotificationLevel;
  group: NotificationLevel;
}

export const DEFAULT_NOTIFICATION_LEVELS: NotificationDefaults = {
  direct: "all",
  group: "mentions",
};

export interface NotifyFacts {
  /** The member's effective level (see `effectiveLevel`). */
  level: NotificationLevel;
  /** The member mutes the conversation until then; null or a past time: not muted. */
  mutedUntil: Date | string | null;
  /** The message names the member (`@username`, or `@all` in a group): see `isMentioned`. */
  mentioned: boolean;
  /** A direct conversation: every message there is addressed to the member, so it counts as a mention. */
  isDirect: boolean;
  senderId: string;
  memberId: string;
  now: Date;
}

/**
 * True when the member should be notified of the message: never for their own message,
 * never while muted or at level `none`; at `mentions` only when mentioned or in a direct
 * conversation; always at `all`. Blocks are the caller's concern (a blocked sender's
 * messages reach nobody who blocked them).
 */
export function shouldNotify(facts: NotifyFacts): boolean {
  if (facts.senderId === facts.memberId) return false;
  if (isMuted(facts.mutedUntil, facts.now)) return false;
  switch (facts.level) {
    case "none":
      return false;
    case "mentions":
      return facts.mentioned || facts.isDirect;
    case "all":
      return true;
  }
}

/** A mute is in force while its end lies in the future. */
export function isMuted(mutedUntil: Date | string | null, now: Date): boolean {
  if (mutedUntil === null) return false;
  const until = mutedUntil instanceof Date ? mutedUntil : new Date(mutedUntil);
  return until.getTime() > now.getTime();
}

/** The member's chosen level, or the configured default for the conversation's type. */
export function effectiveLevel(
  stored: NotificationLevel | null | undefined,
  conversationType: "direct" | "group",
  defaults: NotificationDefaults = DEFAULT_NOTIFICATION_LEVELS,
): NotificationLevel {
  return stored ?? defaults[conversationType];
}

/** Whether a message (as stored or sent in `message.new`) mentions the member. */
export function isMentioned(
  message: { mentions?: readonly string[] | null },
  memberId: string,
): boolean {
  return message.mentions?.includes(memberId) ?? false;
}
