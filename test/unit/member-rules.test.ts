import assert from "node:assert/strict";
import {
  assertMayAdd,
  assertMayRemove,
  assertMayUpdate,
  nextOwner,
} from "../../lib/domain/conversations/member-rules";
import type { MemberRow } from "../../lib/store/member-repository";
import type { Role } from "../../lib/domain/types";

const member = (user_id: string, role: Role): MemberRow => ({
  conversation_id: "c",
  user_id,
  role,
  joined_at: new Date(),
  last_read_seq: 0,
  last_read_at: null,
});

const forbidden = { code: "forbidden" };

describe("member rules", () => {
  it("lets owners and admins change a group, nobody a direct conversation", () => {
    assertMayUpdate("group", "owner");
    assertMayUpdate("group", "admin");
    assert.throws(() => assertMayUpdate("group", "member"), forbidden);
    assert.throws(() => assertMayUpdate("direct", "owner"), forbidden);
  });

  it("lets only the owner add admins", () => {
    assertMayAdd("group", "owner", "admin");
    assertMayAdd("group", "admin", "member");
    assert.throws(() => assertMayAdd("group", "admin", "admin"), forbidden);
    assert.throws(() => assertMayAdd("group", "member", "member"), forbidden);
    assert.throws(() => assertMayAdd("direct", "owner", "member"), forbidden);
  });

  it("lets anyone leave and ranks who may remove whom", () => {
    assertMayRemove("direct", "member", "member", true);
    assertMayRemove("group", "owner", "admin", false);
    assertMayRemove("group", "admin", "member", false);
    assert.throws(() => assertMayRemove("group", "admin", "owner", false), forbidden);
    assert.throws(() => assertMayRemove("group", "admin", "admin", false), forbidden);
    assert.throws(() => assertMayRemove("group", "member", "member", false), forbidden);
    assert.throws(() => assertMayRemove("direct", "owner", "member", false), forbidden);
  });

  it("picks the longest-standing admin, else member, as the next owner", () => {
    assert.equal(nextOwner([member("a", "member"), member("b", "admin")])?.user_id, "b");
    assert.equal(nextOwner([member("a", "member"), member("b", "member")])?.user_id, "a");
    assert.equal(nextOwner([member("a", "owner"), member("b", "admin")]), undefined);
    assert.equal(nextOwner([]), undefined);
  });
});
