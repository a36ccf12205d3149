import type { Knex } from "knex";
import webpush from "web-push";
import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";
import type { VapidKeys } from "./web-pusher";

/**
 * The VAPID key pair: push.vapid when configured, else one generated on first use and kept
 * in the database (`push_state`), so every node signs with the same key and browsers'
 * subscriptions (made for its public key) survive restarts. The first node to store a
 * pair wins; the others read it back.
 */
export class VapidKeyStore {
  private keys: Promise<VapidKeys> | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly config: Config["push"],
    private readonly logger: Logger,
  ) {}

  get(): Promise<VapidKeys> {
    this.keys ??= this.resolve().catch((error: Error) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async resolve(): Promise<VapidKeys> {
    const { public_key, private_key, subject } = this.config.vapid;
    if (public_key && private_key)
      return { publicKey: public_key, privateKey: private_key, subject };
    const generated = webpush.generateVAPIDKeys();
    const stored = await this.knex("push_state")
      .where({ id: 1 })
      .whereNull("vapid_public_key")
      .update({ vapid_public_key: generated.publicKey, vapid_private_key: generated.privateKey });
    if (stored > 0) {
      this.logger.info("generated VAPID keys for Web Push and stored them in the database");
    }
    const row = (await this.knex("push_state")
      .where({ id: 1 })
      .first("vapid_public_key", "vapid_private_key")) as
      { vapid_public_key: string; vapid_private_key: string } | undefined;
    if (!row) throw new Error("push_state is missing (run the migrations)");
    return { publicKey: row.vapid_public_key, privateKey: row.vapid_private_key, subject };
  }
}
