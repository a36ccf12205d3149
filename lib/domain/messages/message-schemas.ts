import Joi from "joi";
import { jsonObject, pageQuery, text, uuid } from "../../validation";

export const MAX_CONTENT_LENGTH = 4000;
export const MAX_METADATA_BYTES = 16384;
export const MAX_ATTACHMENTS = 10;
/** Distinct emoji one message may carry. */
export const MAX_DISTINCT_REACTIONS = 50;

export const messageIdSchema = uuid().required().label("id");
export const conversationIdSchema = uuid().required().label("conversation_id");

export interface SendInput {
  content: string;
  metadata?: Record<string, unknown>;
  parent_id?: string;
  attachments?: string[];
  client_msg_id?: string;
}

export const sendSchema = Joi.object<SendInput>({
  content: text(1, MAX_CONTENT_LENGTH).required(),
  metadata: jsonObject(MAX_METADATA_BYTES),
  parent_id: uuid(),
  attachments: Joi.array().items(uuid()).unique().max(MAX_ATTACHMENTS),
  // An idempotency key chosen by the client: printable, no whitespace at the edges.
  client_msg_id: Joi.string()
    .min(1)
    .max(64)
    .pattern(/^[^\s\u0000-\u001F\u007F](?:[^\u0000-\u001F\u007F]*[^\s\u0000-\u001F\u007F])?$/)
    .messages({ "string.pattern.base": "client_msg_id must be printable text without padding" }),
}).required();

export const editSchema = Joi.object<{ content: string }>({
  content: text(1, MAX_CONTENT_LENGTH).required(),
}).required();

export interface ListQuery {
  limit: number;
  cursor?: string;
  after_seq?: number;
}

export const listSchema = Joi.object<ListQuery>({
  ...pageQuery,
  after_seq: Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER),
});

export const repliesSchema = Joi.object<ListQuery>({ ...pageQuery });

const SHORT_CODE = /^:[a-z0-9_+-]{1,64}:$/;
// Built at run time: the `v` flag (Unicode properties of strings) is newer than our TS target.
const RGI_EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/**
 * One Unicode emoji (an RGI emoji, so one grapheme: skin tones, ZWJ families, flags and
 * keycaps included) or a `:short_code:`. A pictograph typed without its emoji variation
 * selector ("❤") is stored as the fully-qualified emoji ("❤️"), so both count as one.
 * @returns the emoji to store, or undefined when it is not one
 */
export function normaliseEmoji(value: string): string | undefined {
  if (value.length > 66) return undefined;
  if (SHORT_CODE.test(value)) return value;
  const emoji = value.normalize("NFC");
  if (RGI_EMOJI.test(emoji)) return emoji;
  if (PICTOGRAPH.test(emoji) && RGI_EMOJI.test(`${emoji}\uFE0F`)) return `${emoji}\uFE0F`;
  return undefined;
}

export const emojiSchema = Joi.string()
  .required()
  .label("emoji")
  .custom((value: string, helpers) => normaliseEmoji(value) ?? helpers.error("emoji.invalid"))
  .messages({
    "emoji.invalid": "{{#label}} must be one emoji or a :short_code: of a-z 0-9 _ + -",
  });

export const reactionSchema = Joi.object<{ emoji: string }>({ emoji: emojiSchema }).required();
