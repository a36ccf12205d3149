/**
 * What one stored message costs PostgreSQL, and the node that sends it, by batch size: the
 * send statement (lib/store/message-batch-store.ts) run back to back on a throwaway
 * database, with the CPU of the database's backends and WAL writer read from /proc and
 * the node's own from process.cpuUsage(). No sockets, no other traffic: the steady number
 * to steer the store by (the load bench's PostgreSQL figure moves with its batch sizes).
 *
 *   npx tsx test/bench/send-cost.ts [--batches 1,3,10,30] [--messages 3000]
 *       [--mention-every N]  every Nth message mentions another member (@name; 0: none)
 *       [--setup "SQL"]   run SQL on the throwaway database first (an experiment: drop an index,
 *                          change a column), never a schema change
 *
 * DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server.
 */
import crypto from "node:crypto";
import knexFactory from "knex";
import pg from "pg";
import { loadConfig } from "../../config/load-config";
import { newId } from "../../lib/ids";
import { createLogger } from "../../lib/logger";
import { openDatabase } from "../../lib/store/database";
import { MessageBatchStore, MessageDraft } from "../../lib/store/message-batch-store";
import { cpuBetween, readCpu } from "../load/cpu-meter";
import { messageContents } from "../load/setup";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const BATCHES = option("batches", "1,3,10,30").split(",").map(Number);
const MESSAGES = Number(option("messages", "3000"));
const SETUP = option("setup", "");
const MENTION_EVERY = Number(option("mention-every", "0"));
/** Settings for the measuring connection, e.g. "plan_cache_mode=force_generic_plan" (experiments). */
const SESSION = option("set", "");
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface Conversation {
  id: string;
  members: string[];
  /** The members' usernames, in the same order. */
  names: string[];
}

async function withDatabase<T>(run: (url: string, name: string) => Promise<T>): Promise<T> {
  const name = `send_cost_${crypto.randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString(), name);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** 200 users; 100 direct conversations and 20 groups of 10, half the sends to each kind. */
async function seed(knex: import("knex").Knex): Promise<Conversation[]> {
  const users = Array.from({ length: 200 }, (_, i) => ({
    id: newId(),
    username: `u${i}`,
    display_name: `User ${i}`,
  }));
  await knex("users").insert(users);
  const conversations: Conversation[] = [];
  for (let i = 0; i < 100; i += 1) {
    const pair = [users[2 * i], users[2 * i + 1]];
    conversations.push({
      id: newId(),
      members: pair.map((u) => u.id),
      names: pair.map((u) => u.username),
    });
  }
  for (let g = 0; g < 20; g += 1) {
    const group = users.slice(g * 10, g * 10 + 10);
    conversations.push({
      id: newId(),
      members: group.map((u) => u.id),
      names: group.map((u) => u.username),
    });
  }
  await knex("conversations").insert(
    conversations.map((c) => ({ id: c.id, type: c.members.length === 2 ? "direct" : "group" })),
  );
  await knex("conversation_members").insert(
    conversations.flatMap((c) => c.members.map((user_id) => ({ conversation_id: c.id, user_id }))),
  );
  return conversations;
}

function draft(conversation: Conversation, text: string, index: number): MessageDraft {
  const id = newId();
  const size = conversation.members.length;
  const senderId = conversation.members[index % size];
  const mentioned =
    MENTION_EVERY > 0 && index % MENTION_EVERY === 0
      ? conversation.names[(index + 1) % size]
      : null;
  const content = mentioned ? `@${mentioned} ${text}` : text;
  const clientMsgId = `c-${id}`;
  const message = {
    id,
    conversation_id: conversation.id,
    sender_id: senderId,
    seq: 0,
    content,
    metadata: {},
    parent_id: null,
    reply_count: 0,
    attachments: [],
    reactions: [],
    client_msg_id: clientMsgId,
    created_at: "",
    edited_at: null,
    deleted_at: null,
    mentions: [],
  };
  return {
    id,
    eventId: newId(),
    conversationId: conversation.id,
    senderId,
    content,
    metadata: {},
    parentId: null,
    mentionNames: mentioned ? [mentioned] : [],
    mentionAll: false,
    clientMsgId,
    fileIds: [],
    frame: { type: "message.new", data: message },
  };
}

async function measure(
  store: MessageBatchStore,
  conversations: Conversation[],
  database: string,
  batch: number,
) {
  const contents = messageContents(500, 7);
  const directs = conversations.filter((c) => c.members.length === 2);
  const groups = conversations.filter((c) => c.members.length > 2);
  const statements = Math.ceil(MESSAGES / batch);
  const roles = { server: [], generator: [], postgres: { database } };
  const before = readCpu(roles);
  const node = process.cpuUsage();
  const started = performance.now();
  for (let s = 0, n = 0; s < statements; s += 1) {
    const drafts = Array.from({ length: batch }, () => {
      n += 1;
      const pool = n % 2 === 0 ? directs : groups;
      return draft(pool[n % pool.length], contents[n % contents.length], n);
    });
    await store.insertBatch(drafts);
  }
  const seconds = (performance.now() - started) / 1000;
  const nodeCpu = process.cpuUsage(node);
  const spent = cpuBetween(before, readCpu(roles));
  const messages = statements * batch;
  return {
    batch,
    messages,
    statementsPerSec: Math.round(statements / seconds),
    postgresMsPerMessage: (spent.postgres ?? 0) / messages,
    nodeMsPerMessage: (nodeCpu.user + nodeCpu.system) / 1000 / messages,
  };
}

async function main(): Promise<void> {
  await withDatabase(async (url, name) => {
    const config = loadConfig({ env: { DATABASE_URL: url, LOG_LEVEL: "warn" } });
    const database = await openDatabase(config, createLogger(config.logging));
    try {
      const conversations = await seed(database.knex);
      if (SETUP) await database.knex.raw(SETUP);
      const knex = SESSION
        ? knexFactory({
            client: "pg",
            connection: url,
            pool: {
              min: 1,
              max: 1,
              afterCreate: (conn: pg.Client, done: (error: Error | null) => void) =>
                conn.query(
                  SESSION.split(",")
                    .map((setting) => `SET ${setting.replace("=", " = ")};`)
                    .join(" "),
                  (error) => done(error),
                ),
            },
          })
        : database.knex;
      const store = new MessageBatchStore(knex, "bench.message.new", {
        database: "postgres",
        delivery: "in-process",
      });
      await measure(store, conversations, name, 10); // warm the plans and caches
      console.log(
        `send statement cost on ${new URL(ADMIN_URL).host}${SETUP ? ` after ${SETUP}` : ""}`,
      );
      console.log("batch | statements/s | postgres ms/msg | node ms/msg");
      for (const batch of BATCHES) {
        const r = await measure(store, conversations, name, batch);
        console.log(
          `${String(r.batch).padStart(5)} | ${String(r.statementsPerSec).padStart(12)} | ${r.postgresMsPerMessage.toFixed(3).padStart(15)} | ${r.nodeMsPerMessage.toFixed(3).padStart(11)}`,
        );
      }
      if (args.includes("--plans")) {
        const { rows } = await knex.raw(
          "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements",
        );
        console.log(rows);
      }
      if (knex !== database.knex) await knex.destroy();
    } finally {
      await database.close();
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
