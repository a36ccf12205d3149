import { conflict, notFound } from "../../errors";
import { newId } from "../../ids";
import type {
  NewPushDevice,
  PushDeviceRepository,
  PushDeviceRow,
} from "../../store/push-device-repository";
import { Page, decodeCursor, encodeCursor, uuid, validate } from "../../validation";
import { DeviceInput, deviceListSchema, deviceSchema } from "./push-schemas";

/** Devices one user may register: a bound on what one message can fan out to. */
export const MAX_DEVICES_PER_USER = 50;

/** A device as its owner sees it (the Web Push `auth` secret never leaves the server). */
export interface PushDevice {
  id: string;
  kind: "webpush" | "gateway";
  endpoint?: string;
  gateway_url?: string;
  app_id?: string;
  pushkey?: string;
  data?: Record<string, unknown>;
  description: string | null;
  created_at: string;
  updated_at: string;
}

const toDevice = (row: PushDeviceRow): PushDevice => ({
  id: row.id,
  kind: row.kind,
  ...(row.kind === "webpush"
    ? { endpoint: row.endpoint! }
    : {
        gateway_url: row.gateway_url!,
        app_id: row.app_id!,
        pushkey: row.pushkey!,
        data: row.data,
      }),
  description: row.description,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

const idSchema = uuid().required();

/**
 * Registration of push devices by their users. A device is its owner's alone: anyone else
 * asking for it gets 404, as for a conversation they are not in.
 */
export class PushDeviceService {
  private readonly schema;

  constructor(
    private readonly devices: PushDeviceRepository,
    private readonly options: {
      allowHttp: boolean;
      vapidPublicKey: () => Promise<string>;
      /** Tells this node's planner that a device exists now. */
      onRegistered?: () => void;
    },
  ) {
    this.schema = deviceSchema(options.allowHttp);
  }

  /** @returns the device and whether it is new (201) or was registered before (200) */
  async register(userId: string, body: unknown): Promise<{ device: PushDevice; created: boolean }> {
    const input = validate(this.schema, body) as DeviceInput;
    const common = {
      id: newId(),
      user_id: userId,
      description: input.description ?? null,
      endpoint: null,
      p256dh: null,
      auth: null,
      gateway_url: null,
      app_id: null,
      pushkey: null,
      data: {},
    };
    const device: NewPushDevice =
      input.kind === "webpush"
        ? {
            ...common,
            kind: "webpush",
            endpoint: input.endpoint,
            p256dh: input.keys.p256dh,
            auth: input.keys.auth,
          }
        : {
            ...common,
            kind: "gateway",
            gateway_url: input.gateway_url,
            app_id: input.app_id,
            pushkey: input.pushkey,
            data: input.data ?? {},
          };
    await this.assertRoom(userId, device);
    const { row, created } = await this.devices.upsert(device);
    this.options.onRegistered?.();
    return { device: toDevice(row), created };
  }

  /** A new device over the per-user bound is refused; one registered before is not new. */
  private async assertRoom(userId: string, device: NewPushDevice): Promise<void> {
    if ((await this.devices.countOf(userId)) < MAX_DEVICES_PER_USER) return;
    if (await this.devices.exists(device)) return;
    throw conflict(`at most ${MAX_DEVICES_PER_USER} push devices per user`);
  }

  async list(userId: string, query: unknown): Promise<Page<PushDevice>> {
    const q = validate(deviceListSchema, query ?? {}) as { limit: number; cursor?: string };
    const after = decodeCursor<{ d: string }>(
      q.cursor,
      (v) => typeof (v as { d?: unknown })?.d === "string",
    );
    const rows = await this.devices.page(userId, q.limit + 1, after?.d);
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toDevice),
      next_cursor: rows.length > q.limit ? encodeCursor({ d: page.at(-1)!.id }) : null,
    };
  }

  async remove(userId: string, id: unknown): Promise<void> {
    const deviceId = validate(idSchema, id);
    if (!(await this.devices.deleteOwned(userId, deviceId))) throw notFound("push device");
  }

  /** What a browser needs to subscribe (`applicationServerKey`). */
  async webPushKey(): Promise<{ vapid_public_key: string }> {
    return { vapid_public_key: await this.options.vapidPublicKey() };
  }
}
