import type { EventLogReader } from "../event-log/event-log";
import type { SequencedEvent } from "../events/event-types";
import { newId } from "../ids";
import type { Logger } from "../logger";
import type { PushDeviceRepository, PushDeviceRow } from "../store/push-device-repository";
import type { PlannedPush, PushQueueRepository } from "../store/push-queue-repository";
import type { PushMetrics } from "./push-metrics";
import type { NotificationDefaults } from "../domain/notifications/notify-policy";
import { notifiedMembers, NotifySettingsSource } from "./push-recipients";
import type { PushNotification } from "./pusher";

export type PushBadge = Pick<
  PushNotification,
  "unread_count" | "mention_count" | "total_unread_count"
>;
const NO_BADGE: PushBadge = { unread_count: 0, mention_count: 0, total_unread_count: 0 };

export interface PushPlannerOptions {
  queue: PushQueueRepository;
  devices: PushDeviceRepository;
  /** The event log: its head (every position up to it is committed) and new messages. */
  log: Pick<EventLogReader, "head" | "scan">;
  /** Members who had a connection open at or after the time (epoch ms): they saw it. */
  connectedSince(userIds: string[], sinceMs: number): Promise<Set<string>>;
  /** Users who must not receive the event (the sender's blockers). */
  hidden(event: SequencedEvent): ReadonlySet<string> | undefined;
  settings: NotifySettingsSource;
  /** Each member's badge counts at planning time. */
  badges(conversationId: string, userIds: string[]): Promise<Map<string, PushBadge>>;
  /** The level of a member who never chose one, per conversation type. */
  defaults: NotificationDefaults;
  payload: "full" | "ids";
  graceMs: number;
  leaseMs: number;
  metrics: PushMetrics;
  logger: Logger;
  /** Called when notifications were queued (the sender looks at once). */
  onQueued(): void;
}

const READ_BATCH = 200;
/** Log positions one read looks at, at most. */
const READ_WINDOW = 5000;

interface MessageData {
  id: string;
  conversation_id: string;
  sender_id: string;
  seq: number;
  content: string | null;
  mentions?: string[] | null;
}

/**
 * Follows the event log (its own cursor, `push_state.cursor`, under a lease: one node plans
 * at a time) and turns each new message, once its grace period is over, into queued
 * notifications for the devices of members it should notify and who had no connection
 * open since it was sent. Queuing and moving the cursor are one transaction: a restart
 * neither loses nor repeats a message. Runs after commit, off the send path.
 */
export class PushPlanner {
  private readonly owner = newId();

  constructor(private readonly options: PushPlannerOptions) {}

  /** Whether any device exists (checked each poll): without one a wake costs nothing. */
  private hasDevices = true;

  /** A device was registered on this node: plan again from the next wake. */
  deviceRegistered(): void {
    this.hasDevices = true;
  }

  /**
   * Plans what is due. @param poll a periodic look, which also checks for devices
   * @returns whether it stopped with messages still inside their grace period
   */
  async run(poll = false): Promise<boolean> {
    const { queue, devices } = this.options;
    if (poll) this.hasDevices = await devices.anyDevice();
    if (!this.hasDevices && !poll) return false;
    const cursor = await queue.claimPlanner(this.owner, this.options.leaseMs);
    if (cursor === undefined) return false;
    try {
      const head = await this.options.log.head();
      if (cursor >= head) return false;
      // No device anywhere: nothing to plan, and none registered later is owed these.
      if (!this.hasDevices) {
        await queue.plan(this.owner, head, []);
        return false;
      }
      return await this.planFrom(cursor, head);
    } finally {
      await queue.releasePlanner(this.owner).catch(() => undefined);
    }
  }

  private async planFrom(start: number, head: number): Promise<boolean> {
    let cursor = start;
    while (cursor < head) {
      const windowEnd = Math.min(head, cursor + READ_WINDOW);
      const events = await this.options.log.scan({
        after: cursor,
        through: windowEnd,
        limit: READ_BATCH,
        types: ["message.new"],
        graceMs: this.options.graceMs,
      });
      const dueCount = events.findIndex((e) => !e.due);
      const due = dueCount === -1 ? events : events.slice(0, dueCount);
      const pushes = this.collapse(await this.pushesOf(due.map((e) => e.event)));
      const waiting = dueCount !== -1;
      const through = waiting
        ? events[dueCount].event.position - 1
        : events.length < READ_BATCH
          ? windowEnd
          : events.at(-1)!.event.position;
      if (!(await this.options.queue.plan(this.owner, through, pushes))) return false;
      this.countQueued(pushes);
      if (waiting) return true;
      cursor = through;
    }
    return false;
  }

  private async pushesOf(events: SequencedEvent[]): Promise<PlannedPush[]> {
    const pushes: PlannedPush[] = [];
    for (const event of events) pushes.push(...(await this.pushesOfMessage(event)));
    return pushes;
  }

  /** The notifications of one message: one per device of each member to notify. */
  private async pushesOfMessage(event: SequencedEvent): Promise<PlannedPush[]> {
    const message = event.frame.data as MessageData;
    const hidden = this.options.hidden(event);
    const candidates = event.audience.filter((u) => u !== message.sender_id && !hidden?.has(u));
    // A device registered after the message is not owed it (a backlog after an outage).
    const devices = (await this.options.devices.ofUsers(candidates)).filter(
      (device) => new Date(device.created_at).getTime() <= Date.parse(event.occurredAt),
    );
    if (devices.length === 0) return [];
    const withDevices = [...new Set(devices.map((d) => d.user_id))];
    const { queue } = this.options;
    const context = await queue.messageContext(message.conversation_id, message.sender_id);
    const notified = await notifiedMembers(
      {
        conversationId: message.conversation_id,
        conversationType: context.type,
        senderId: message.sender_id,
        mentions: message.mentions,
      },
      withDevices,
      this.options.settings,
      this.options.defaults,
    );
    const seen = await this.options.connectedSince(notified, Date.parse(event.occurredAt));
    const offline = notified.filter((u) => !seen.has(u));
    if (offline.length === 0) return [];
    const badges = await this.options.badges(message.conversation_id, offline);
    const base = this.notificationOf(message, context);
    return devices
      .filter((device) => offline.includes(device.user_id))
      .map((device) =>
        this.planned(event, message, device, {
          ...base,
          ...(badges.get(device.user_id) ?? NO_BADGE),
        }),
      );
  }

  private notificationOf(
    message: MessageData,
    context: { type: string; name: string | null; senderName: string | null },
  ): Omit<PushNotification, keyof PushBadge> {
    const ids = { message_id: message.id, conversation_id: message.conversation_id };
    if (this.options.payload === "ids") return ids;
    return {
      ...ids,
      seq: Number(message.seq),
      sender_id: message.sender_id,
      sender_name: context.senderName,
      conversation_type: context.type,
      conversation_name: context.name,
      content: message.content,
    };
  }

  private planned(
    event: SequencedEvent,
    message: MessageData,
    device: PushDeviceRow,
    notification: PushNotification,
  ): PlannedPush {
    return {
      id: newId(),
      device_id: device.id,
      kind: device.kind,
      user_id: device.user_id,
      conversation_id: message.conversation_id,
      message_id: message.id,
      position: event.position,
      payload: notification as unknown as Record<string, unknown>,
      occurred_at: event.occurredAt,
      collapsed_count: 0,
    };
  }

  /** One notification per device and conversation in a batch: the newest, counting the rest. */
  private collapse(pushes: PlannedPush[]): PlannedPush[] {
    const newest = new Map<string, PlannedPush>();
    for (const push of pushes) {
      const key = `${push.device_id}/${push.conversation_id}`;
      const earlier = newest.get(key);
      newest.set(key, earlier ? { ...push, collapsed_count: earlier.collapsed_count + 1 } : push);
    }
    return [...newest.values()];
  }

  private countQueued(pushes: PlannedPush[]): void {
    if (pushes.length === 0) return;
    for (const push of pushes) this.options.metrics.pushQueued(push.kind);
    this.options.onQueued();
  }
}
