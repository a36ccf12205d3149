import Joi from "joi";
import { STORED_EVENT_SUBJECTS } from "../../events/event-types";
import { pageQuery, text, uuid } from "../../validation";

/** Event types a subscription may name; `*` is every one. */
export const SUBSCRIBABLE_TYPES = ["*", ...Object.keys(STORED_EVENT_SUBJECTS)];

export const endpointUrl = () =>
  Joi.string()
    .uri({ scheme: ["http", "https"] })
    .max(2000);

const eventTypes = () =>
  Joi.array()
    .items(Joi.string().valid(...SUBSCRIBABLE_TYPES))
    .unique()
    .min(1)
    .max(SUBSCRIBABLE_TYPES.length);
const conversationIds = () => Joi.array().items(uuid()).unique().min(1).max(100);

export interface SubscriptionInput {
  url: string;
  event_types: string[];
  conversation_ids?: string[] | null;
  user_id?: string | null;
  description?: string;
  enabled?: boolean;
}

export const createSubscriptionSchema = Joi.object<SubscriptionInput>({
  url: endpointUrl().required(),
  event_types: eventTypes().required(),
  conversation_ids: conversationIds().allow(null),
  user_id: uuid().allow(null),
  description: text(1, 200),
}).required();

export const updateSubscriptionSchema = Joi.object<Partial<SubscriptionInput>>({
  url: endpointUrl(),
  event_types: eventTypes(),
  conversation_ids: conversationIds().allow(null),
  user_id: uuid().allow(null),
  description: text(1, 200),
  enabled: Joi.boolean(),
})
  .min(1)
  .required();

export const subscriptionIdSchema = uuid().required().label("id");
export const deadLetterIdSchema = uuid().required().label("dead_letter_id");

export const subscriptionListSchema = Joi.object({ ...pageQuery });
export const deadLetterListSchema = Joi.object({ ...pageQuery, pending: Joi.boolean() });
