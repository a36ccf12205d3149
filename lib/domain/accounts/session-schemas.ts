import Joi from "joi";

const refreshToken = Joi.string().max(200).required();

export const refreshSchema = Joi.object({ refresh_token: refreshToken });

export const changePasswordSchema = Joi.object({
  current_password: Joi.string().max(256).required(),
  new_password: Joi.string().min(8).max(256).required(),
  refresh_token: Joi.boolean().default(false),
});

/** Deleting one's own account: the password, when the account has one. */
export const deleteAccountSchema = Joi.object({
  password: Joi.string().max(256),
});
