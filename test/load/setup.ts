import crypto from "node:crypto";
import jwt from "jsonwebtoken";
import { mapLimit, seededRandom } from "./random";
import type { Target } from "./target";
import type { ConversationKind, ConversationSpec } from "./types";

export interface LoadUser {
  index: number;
  id: string;
  token: string;
}

export interface WorkloadShape {
  users: number;
  /** Groups of 10, 20 and 200; defaults scale with the user count. */
  groups10?: number;
  groups20?: number;
  groups200?: number;
}

/** A JSON REST call against the target; throws with the contract's error body. */
export async function rest<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Users for a run. With the target's JWT secret, tokens are minted here and each user is
 * provisioned by one cheap authenticated call (first sight); without it users register
 * over REST (slow: the password hash). Bare baselines need neither: the token is the id.
 */
export async function createUsers(
  target: Target,
  count: number,
  runTag: string,
): Promise<LoadUser[]> {
  const indices = Array.from({ length: count }, (_, i) => i);
  if (target.kind !== "service") {
    return indices.map((index) => {
      const id = crypto.randomUUID();
      return { index, id, token: id };
    });
  }
  const url = target.urls[0];
  if (target.jwtSecret) {
    const secret = target.jwtSecret;
    const users = indices.map((index) => {
      const id = crypto.randomUUID();
      const token = jwt.sign({ preferred_username: `ld${runTag}_${index}` }, secret, {
        algorithm: "HS256",
        subject: id,
        expiresIn: "12h",
      });
      return { index, id, token };
    });
    await mapLimit(users, 32, (user) => rest(url, user.token, "GET", "/users/me"));
    return users;
  }
  return mapLimit(indices, 8, async (index) => {
    const response = await fetch(`${url}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: `ld${runTag}_${index}`, password: "load-test-password" }),
    });
    if (response.status !== 201)
      throw new Error(`register → ${response.status} ${await response.text()}`);
    const { user, token } = (await response.json()) as { user: { id: string }; token: string };
    return { index, id: user.id, token };
  });
}

/**
 * The conversation mix: every user in one direct conversation (paired at random), plus
 * groups of 10 (about one per 20 users), of 20 (one per 40) and of 200 (one per 1,000).
 */
export function planConversations(
  shape: WorkloadShape,
  seed: number,
): Omit<ConversationSpec, "id">[] {
  const random = seededRandom(seed);
  const shuffled = Array.from({ length: shape.users }, (_, i) => i).sort(() => random() - 0.5);
  const plans: Omit<ConversationSpec, "id">[] = [];
  for (let i = 0; i + 1 < shuffled.length; i += 2) {
    plans.push({ kind: "direct", members: [shuffled[i], shuffled[i + 1]] });
  }
  const sample = (size: number) => {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(size, shape.users))
      chosen.add(Math.floor(random() * shape.users));
    return [...chosen];
  };
  const groups = (kind: ConversationKind, size: number, count: number) => {
    for (let i = 0; i < count; i++) plans.push({ kind, members: sample(size) });
  };
  groups(
    "g10",
    10,
    shape.groups10 ?? (shape.users >= 10 ? Math.max(1, Math.round(shape.users / 20)) : 0),
  );
  groups(
    "g20",
    20,
    shape.groups20 ?? (shape.users >= 20 ? Math.max(1, Math.round(shape.users / 40)) : 0),
  );
  groups(
    "g200",
    200,
    shape.groups200 ?? (shape.users >= 200 ? Math.max(1, Math.round(shape.users / 1000)) : 0),
  );
  return plans;
}

/** Creates the planned conversations (REST on the service; local ids on bare servers). */
export async function createConversations(
  target: Target,
  users: LoadUser[],
  plans: Omit<ConversationSpec, "id">[],
): Promise<ConversationSpec[]> {
  if (target.kind !== "service") return plans.map((plan) => ({ ...plan, id: crypto.randomUUID() }));
  const url = target.urls[0];
  return mapLimit(plans, 16, async (plan) => {
    const [owner, ...others] = plan.members;
    const body =
      plan.kind === "direct"
        ? { type: "direct", member_ids: [users[others[0]].id] }
        : { type: "group", name: `load ${plan.kind}`, member_ids: others.map((m) => users[m].id) };
    const conversation = await rest<{ id: string }>(
      url,
      users[owner].token,
      "POST",
      "/conversations",
      body,
    );
    return { ...plan, id: conversation.id };
  });
}

/** Short message texts from a fixed vocabulary (searchable words, ~60 bytes each). */
export function messageContents(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from(
      { length: 5 + Math.floor(random() * 8) },
      () => VOCABULARY[Math.floor(random() * VOCABULARY.length)],
    ).join(" "),
  );
}

export const VOCABULARY = (
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar " +
  "papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu meeting lunch deploy " +
  "release invoice budget roadmap design review server client socket database index latency " +
  "coffee weekend holiday report ticket customer payment backup monitor alert kitten garden " +
  "river mountain harbor lantern velvet copper marble thunder orchard meadow"
).split(" ");
