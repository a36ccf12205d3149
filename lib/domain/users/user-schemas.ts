import Joi from "joi";
import { nameText, pageQuery, text } from "../../validation";

export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;

export const registerSchema = Joi.object({
  username: Joi.string().pattern(USERNAME_PATTERN).required().messages({
    "string.pattern.base": "username must be 3-32 characters of a-z, 0-9, _ . -",
  }),
  password: Joi.string().min(8).max(256).required(),
  display_name: nameText(1, 64),
  /** Ask for a short-lived token and a rotating refresh token (docs/privacy.md#sessions). */
  refresh_token: Joi.boolean().default(false),
});

export const loginSchema = Joi.object({
  username: Joi.string().max(64).required(),
  password: Joi.string().max(256).required(),
  refresh_token: Joi.boolean().default(false),
});

export const userSearchSchema = Joi.object({
  q: text(0, 64).allow("").default(""),
  ...pageQuery,
});
