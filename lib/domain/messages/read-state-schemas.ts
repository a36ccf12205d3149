import Joi from "joi";
import { uuid } from "../../validation";

/** `POST /conversations/:id/unread`: the message that becomes the first unread one. */
export const markUnreadSchema = Joi.object<{ message_id: string }>({
  message_id: uuid().lowercase().required(),
}).required();

/** `POST /conversations/:id/delivered` and the `message.delivered` frame. */
export const deliveredSchema = Joi.object<{ seq: number }>({
  seq: Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER).required(),
}).required();

/** `GET /messages/:id/receipts?view=status`. */
export const receiptsQuerySchema = Joi.object<{ view?: "status" }>({
  view: Joi.string().valid("status"),
});
