import {
  DEFAULT_NOTIFICATION_LEVELS,
  effectiveLevel,
  NotificationDefaults,
  isMentioned,
  NotificationLevel,
  shouldNotify,
} from "../domain/notifications/notify-policy";

/** A member's own notification settings in one conversation (null: never chosen). */
export interface MemberNotifySettings {
  level: NotificationLevel | null;
  mutedUntil: Date | string | null;
}

/** Where members' levels and mutes are read from (null level: the type's default). */
export type NotifySettingsSource = (
  conversationId: string,
  userIds: string[],
) => Promise<Map<string, MemberNotifySettings>>;

/** What the planner knows of one new message. */
export interface MessageFacts {
  conversationId: string;
  conversationType: string;
  senderId: string;
  mentions?: readonly string[] | null;
}

/**
 * The members (of `candidates`: members with devices, the sender's blockers already out)
 * whom the message should notify, by the one rule of `notify-policy` (level, mute,
 * mention, direct).
 */
export async function notifiedMembers(
  message: MessageFacts,
  candidates: string[],
  settings: NotifySettingsSource,
  defaults: NotificationDefaults = DEFAULT_NOTIFICATION_LEVELS,
  now = new Date(),
): Promise<string[]> {
  const stored = await settings(message.conversationId, candidates);
  const type = message.conversationType === "direct" ? "direct" : "group";
  return candidates.filter((memberId) => {
    const own = stored.get(memberId);
    return shouldNotify({
      level: effectiveLevel(own?.level, type, defaults),
      mutedUntil: own?.mutedUntil ?? null,
      mentioned: isMentioned(message, memberId),
      isDirect: type === "direct",
      senderId: message.senderId,
      memberId,
      now,
    });
  });
}
