import assert from "node:assert/strict";
import type { TestUser } from "./factories";

/** A group conversation created over REST by `owner` with `members`; returns its id. */
export async function createGroup(owner: TestUser, members: TestUser[]): Promise<string> {
  const response = await owner.api.post("/api/v1/conversations", {
    type: "group",
    name: "realtime test",
    member_ids: members.map((member) => member.id),
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id;
}
