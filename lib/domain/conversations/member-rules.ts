import { forbidden } from "../../errors";
import type { MemberRow } from "../../store/member-repository";
import type { ConversationType, Role } from "../types";

/**
 * Who may do what in a conversation. The caller's membership has been checked already
 * (a non-member gets not_found before any of these run).
 */

/** Renaming and changing a group: owner or admin; a direct conversation never changes. */
export function assertMayUpdate(type: ConversationType, actor: Role): void {
  if (type === "direct") throw forbidden("a direct conversation cannot be changed");
  if (actor === "member") throw forbidden("only an owner or admin may change the conversation");
}

export function assertMayDelete(actor: Role): void {
  if (actor !== "owner") throw forbidden("only the owner may delete the conversation");
}

/** Owner adds admins or members; an admin adds plain members; direct takes nobody. */
export function assertMayAdd(type: ConversationType, actor: Role, role: Role): void {
  if (type === "direct") throw forbidden("a direct conversation cannot take members");
  if (actor === "member") throw forbidden("only an owner or admin may add members");
  if (role !== "member" && actor !== "owner") throw forbidden("only the owner may add admins");
}

/** Anyone may leave; the owner removes anyone else; an admin removes plain members only. */
export function assertMayRemove(
  type: ConversationType,
  actor: Role,
  target: Role,
  self: boolean,
): void {
  if (self) return;
  if (type === "direct") throw forbidden("a direct conversation can only be left");
  if (actor === "owner") return;
  if (actor === "admin" && target === "member") return;
  throw forbidden(
    actor === "admin"
      ? "an admin may only remove plain members"
      : "only an owner or admin may remove others",
  );
}

/**
 * Who becomes owner when the last owner leaves: the longest-standing admin, else the
 * longest-standing member. `remaining` is in joining order. Undefined when an owner is
 * left or nobody is.
 */
export function nextOwner(remaining: MemberRow[]): MemberRow | undefined {
  if (remaining.length === 0 || remaining.some((member) => member.role === "owner")) {
    return undefined;
  }
  return remaining.find((member) => member.role === "admin") ?? remaining[0];
}
