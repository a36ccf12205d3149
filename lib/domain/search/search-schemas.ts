import Joi from "joi";
import { isoDate, pageQuery, text, uuid } from "../../validation";

/** `GET /search/messages` query. */
export const messageSearchSchema = Joi.object({
  q: text(1, 256).required(),
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
  q: string;
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
