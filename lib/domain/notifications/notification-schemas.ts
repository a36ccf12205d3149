import Joi from "joi";
import { isoDate } from "../../validation";
import { NOTIFICATION_LEVELS, type NotificationLevel } from "./notify-policy";

export interface NotificationSettingsInput {
  /** null: back to the configured default. */
  level?: NotificationLevel | null;
  /** null or a past time: not muted. */
  muted_until?: Date | null;
}

/** `PUT /conversations/:id/notifications`: at least one of the two. */
export const notificationSettingsSchema = Joi.object<NotificationSettingsInput>({
  level: Joi.string()
    .valid(...NOTIFICATION_LEVELS)
    .allow(null),
  muted_until: isoDate().allow(null),
})
  .or("level", "muted_until")
  .required();

/** `PUT /users/me/privacy`. */
export const privacySchema = Joi.object<{ read_receipts: boolean }>({
  read_receipts: Joi.boolean().required(),
}).required();
