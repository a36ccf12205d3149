import Joi from "joi";
import { jsonObject, nameText, pageQuery, text, uuid as anyUuid } from "../../validation";

// Ids compare as strings in code too, so they are lowercased once here.
const uuid = () => anyUuid().lowercase();

/** Limits of a conversation's fields. */
export const CONVERSATION_LIMITS = {
  nameLength: 100,
  descriptionLength: 1000,
  /** Serialised JSON bytes of `metadata`. */
  metadataBytes: 8192,
  /** Other members named at creation (more can be added one by one). */
  initialMembers: 500,
} as const;

const name = nameText(1, CONVERSATION_LIMITS.nameLength).allow(null);
// "" and whitespace clear the description (stored as null).
const description = text(0, CONVERSATION_LIMITS.descriptionLength).allow("", null);
const metadata = jsonObject(CONVERSATION_LIMITS.metadataBytes);

export interface CreateConversationInput {
  type: "direct" | "group";
  member_ids: string[];
  name?: string | null;
  description?: string | null;
  metadata?: Record<string, unknown>;
}

/** A direct conversation names exactly one other user and has no name or description. */
export const createConversationSchema = Joi.object<CreateConversationInput>({
  type: Joi.string().valid("direct", "group").required(),
  member_ids: Joi.when("type", {
    is: "direct",
    then: Joi.array().items(uuid()).length(1).required(),
    otherwise: Joi.array().items(uuid()).max(CONVERSATION_LIMITS.initialMembers).default([]),
  }),
  name: Joi.when("type", { is: "direct", then: Joi.forbidden(), otherwise: name }),
  description: Joi.when("type", { is: "direct", then: Joi.forbidden(), otherwise: description }),
  metadata,
});

export interface UpdateConversationInput {
  name?: string | null;
  description?: string | null;
  metadata?: Record<string, unknown>;
}

export const updateConversationSchema = Joi.object<UpdateConversationInput>({
  name,
  description,
  metadata,
})
  .min(1)
  .messages({ "object.min": "give at least one of name, description, metadata" });

export interface AddMemberInput {
  user_id: string;
  role: "admin" | "member";
}

/** Owner is never granted by adding: there is one owner, handed over when they leave. */
export const addMemberSchema = Joi.object<AddMemberInput>({
  user_id: uuid().required(),
  role: Joi.string().valid("admin", "member").default("member"),
});

export const listConversationsSchema = Joi.object<{ limit: number; cursor?: string }>({
  ...pageQuery,
});

export const conversationIdSchema = uuid().required().label("id");
export const userIdSchema = uuid().required().label("userId");
