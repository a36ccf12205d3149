import { newId } from "../ids";
import type { Logger } from "../logger";
import type { PushDeviceRepository } from "../store/push-device-repository";
import type { ClaimedPush, PushQueueRepository } from "../store/push-queue-repository";
import type { PushMetrics } from "./push-metrics";
import type { PushNotification, Pusher, PushResult } from "./pusher";

export interface PushSenderSettings {
  max_attempts: number;
  retry_base: number;
  retry_max: number;
  lease: number;
  concurrency: number;
}

export interface PushSenderOptions {
  queue: PushQueueRepository;
  devices: PushDeviceRepository;
  pushers: Record<"webpush" | "gateway", Pusher>;
  settings: PushSenderSettings;
  metrics: PushMetrics;
  logger: Logger;
}

/**
 * Sends due notifications of the queue, on every node: each is leased while it is sent
 * (SKIP LOCKED, so nodes share the queue), marked sent after the push service or gateway
 * accepted it, retried with exponential backoff, and kept as a dead letter after
 * `max_attempts` tries. A device the service says is gone is removed with its queue.
 */
export class PushSender {
  private readonly owner = newId();
  private inFlight = 0;

  constructor(private readonly options: PushSenderOptions) {}

  /** Claims and sends one round. @returns how many it claimed */
  async run(): Promise<number> {
    const { queue, settings } = this.options;
    const free = settings.concurrency - this.inFlight;
    if (free <= 0) return 0;
    const claimed = await queue.claimDue(this.owner, settings.lease, free);
    this.inFlight += claimed.length;
    await Promise.all(
      claimed.map((push) =>
        this.sendOne(push)
          .catch((error: Error) => {
            this.options.logger.warn("push send failed; its lease lapses and it is tried again", {
              push_id: push.id,
              error: error.message,
            });
          })
          .finally(() => (this.inFlight -= 1)),
      ),
    );
    return claimed.length;
  }

  private async sendOne(push: ClaimedPush): Promise<void> {
    const { device } = push;
    const notification = {
      ...(push.payload as unknown as PushNotification),
      ...(push.collapsed_count > 0 ? { collapsed_count: push.collapsed_count } : {}),
    };
    const result = await this.options.pushers[device.kind].send(device, notification);
    if (result.ok) {
      await this.options.queue.markSent(push.id, this.owner);
      const seconds = (Date.now() - new Date(push.occurred_at).getTime()) / 1000;
      this.options.metrics.pushSent(device.kind, Math.max(0, seconds));
      return;
    }
    await this.failed(push, result);
  }

  private async failed(push: ClaimedPush, result: Extract<PushResult, { ok: false }>) {
    const { queue, devices, settings, metrics, logger } = this.options;
    const kind = push.device.kind;
    if (result.gone) {
      metrics.pushTry(kind, "expired");
      logger.info("push device gone; removed", { device_id: push.device.id, error: result.error });
      await devices.delete(push.device.id);
      return;
    }
    const attempts = push.attempts + 1;
    if (result.permanent || attempts >= settings.max_attempts) {
      metrics.pushTry(kind, "dead_lettered");
      logger.warn("push dead-lettered", { push_id: push.id, attempts, error: result.error });
      await queue.deadLetter(push.id, this.owner, attempts, result.error);
      return;
    }
    metrics.pushTry(kind, "failed");
    await queue.scheduleRetry(push, this.owner, retryDelay(attempts, settings), result.error);
  }
}

/** Exponential backoff: retry_base after the first failure, doubled after each, at most retry_max. */
export function retryDelay(
  failures: number,
  settings: Pick<PushSenderSettings, "retry_base" | "retry_max">,
): number {
  return Math.min(settings.retry_max, settings.retry_base * 2 ** (failures - 1));
}
