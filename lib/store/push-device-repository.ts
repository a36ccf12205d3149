import type { Knex } from "knex";
import { Db, sql } from "./handles";

export interface PushDeviceRow {
  id: string;
  user_id: string;
  kind: "webpush" | "gateway";
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
  gateway_url: string | null;
  app_id: string | null;
  pushkey: string | null;
  data: Record<string, unknown>;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

export type NewPushDevice = Omit<PushDeviceRow, "created_at" | "updated_at">;

/** Which partial unique index identifies a device of each kind. */
const CONFLICT = {
  webpush: "(endpoint) WHERE kind = 'webpush'",
  gateway: "(app_id, pushkey) WHERE kind = 'gateway'",
} as const;

/** Devices users registered for push: Web Push subscriptions and gateway pushers. */
export class PushDeviceRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Inserts the device, or takes over the one with the same endpoint (or app id and
   * pushkey): the same browser or app install registered again, perhaps by another user.
   * @returns the row, and whether it is new
   */
  async upsert(device: NewPushDevice): Promise<{ row: PushDeviceRow; created: boolean }> {
    const insert = this.knex("push_devices").insert(device).toQuery();
    const { rows } = (await this.knex.raw(
      `${insert} ON CONFLICT ${CONFLICT[device.kind]} DO UPDATE SET
         user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
         gateway_url = EXCLUDED.gateway_url, data = EXCLUDED.data,
         description = EXCLUDED.description, updated_at = now()
       RETURNING *, (xmax = 0) AS created`,
    )) as { rows: (PushDeviceRow & { created: boolean })[] };
    const { created, ...row } = rows[0];
    return { row, created };
  }

  /** The user's devices, oldest first after `afterId`. */
  async page(userId: string, limit: number, afterId?: string): Promise<PushDeviceRow[]> {
    const query = this.knex("push_devices").where({ user_id: userId }).orderBy("id").limit(limit);
    if (afterId) query.where("id", ">", afterId);
    return (await query) as PushDeviceRow[];
  }

  async countOf(userId: string): Promise<number> {
    const row = (await this.knex("push_devices")
      .where({ user_id: userId })
      .count({ n: "*" })
      .first()) as { n: string | number } | undefined;
    return Number(row?.n ?? 0);
  }

  /** Deletes the device only when it is the user's. @returns whether it was */
  async deleteOwned(userId: string, id: string): Promise<boolean> {
    return (await this.knex("push_devices").where({ id, user_id: userId }).delete()) > 0;
  }

  /** Every device of the user (signed out everywhere). @returns how many there were */
  async deleteAllOf(userId: string, db: Db = this.knex as unknown as Db): Promise<number> {
    return sql(db)("push_devices").where({ user_id: userId }).delete();
  }

  /** The push service or gateway said the device is gone (404/410, rejected pushkey). */
  async delete(id: string): Promise<void> {
    await this.knex("push_devices").where({ id }).delete();
  }

  async anyDevice(): Promise<boolean> {
    return Boolean(await this.knex("push_devices").first("id"));
  }

  /** The devices of these users (the candidates of one message), but not of suspended or deleted accounts. */
  async ofUsers(userIds: string[]): Promise<PushDeviceRow[]> {
    if (userIds.length === 0) return [];
    return (await this.knex("push_devices as d")
      .join("users as u", "u.id", "d.user_id")
      .whereRaw("d.user_id = ANY(?::uuid[])", [userIds])
      .whereNull("u.suspended_at")
      .whereNull("u.erased_at")
      .select("d.*")
      .orderBy("d.id")) as PushDeviceRow[];
  }

  /** Whether this browser subscription or app install is registered (by anyone). */
  async exists(device: Pick<NewPushDevice, "kind" | "endpoint" | "app_id" | "pushkey">) {
    const query = this.knex("push_devices").where({ kind: device.kind });
    if (device.kind === "webpush") query.where({ endpoint: device.endpoint });
    else query.where({ app_id: device.app_id, pushkey: device.pushkey });
    return Boolean(await query.first("id"));
  }
}
