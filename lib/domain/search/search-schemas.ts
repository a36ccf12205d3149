import Joi from "joi";
import { isoDate, pageQuery, text, uuid } from "../../validation";

/** `GET /search/messages` query. */
export const messageSearchSchema = Joi.object({
  // Optional only with a filter that narrows by itself (mentions=me: the caller's mentions).
  q: text(1, 256).when("mentions", { is: Joi.exist(), otherwise: Joi.required() }),
  mentions: Joi.string().valid("me"),
  conversation_id: uuid(),
  sender_id: uuid(),
  after: isoDate(),
  before: isoDate(),
  ...pageQuery,
});

/** `GET /search/conversations` query. */
export const conversationSearchSchema = Joi.object({
  q: text(1, 256).required(),
  ...pageQuery,
});

export interface MessageSearchQuery {
  q?: string;
  mentions?: "me";
  conversation_id?: string;
  sender_id?: string;
  after?: Date;
  before?: Date;
  limit: number;
  cursor?: string;
}

export interface ConversationSearchQuery {
  q: string;
  limit: number;
  cursor?: string;
}
