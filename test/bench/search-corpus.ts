/**
 * The search benchmark's corpus, seeded with set-based SQL (PostgreSQL or PGlite), and its
 * workload: which caller searches for what.
 */
import crypto from "node:crypto";
import pg from "pg";

export const USERS = 1000;
export const CONVERSATIONS = 2000;
export const MEMBERS_PER_CONVERSATION = 5;
/** A "power user" in this many conversations (a tenth of all messages). */
export const POWER_CONVERSATIONS = 200;

export const WORDS = (
  "deploy deployment deployed release build pipeline server database migration index query " +
  "latency cache redis postgres kafka nats queue worker cluster node pod container docker " +
  "kubernetes helm chart config secret token auth login logout user account password email " +
  "invoice payment refund order customer ticket support bug fix patch hotfix review merge " +
  "branch commit test flaky green red alert pager incident outage rollback canary metrics " +
  "dashboard grafana prometheus logs trace span error warning timeout retry backoff limit " +
  "meeting standup sprint planning roadmap design spec draft doc wiki notes lunch coffee " +
  "tomorrow today yesterday monday friday weekend morning afternoon please thanks sorry " +
  "great awesome ok sure maybe later soon now quick question answer idea plan update status " +
  "the a to of and in on for with is it this that we you they can will should need"
).split(" ");
const CJK =
  "部署 数据库 服务器 发布 测试 错误 修复 会议 明天 今天 版本 用户 デプロイ テスト 障害 会議 明日 리뷰 배포".split(
    " ",
  );
const RARE = ["zanzibar", "quokka", "xylophone", "marzipan", "fjord"];

/** What the corpus holds, for the report. */
export const CORPUS_DESCRIPTION =
  `${CONVERSATIONS} conversations of ${MEMBERS_PER_CONVERSATION} members (each user in ~10), ` +
  `messages round-robin over conversations (so a conversation's messages sit on different heap ` +
  `pages); 10% CJK text, 1% long (80–120 words, over the 500-byte covering-index limit), ` +
  `a rare word in 0.1%; a power user in ${POWER_CONVERSATIONS} conversations`;

const sqlArray = (items: string[]) => `(ARRAY[${items.map((w) => `'${w}'`).join(",")}]::text[])`;

/**
 * Message i goes to conversation i % CONVERSATIONS as its (i / CONVERSATIONS + 1)th; CJK and
 * long messages are picked by that position, so every conversation has its share of both.
 * Word lists are code constants (no user input reaches this SQL).
 */
export function messagesInsert(from: number, to: number, total: number): string {
  const words = sqlArray(WORDS);
  const pickWords = (count: string) =>
    `array_to_string(ARRAY(SELECT ${words}[1 + floor(random() * ${WORDS.length})::int]
                           FROM generate_series(1, ${count}) g WHERE g > -i), ' ')`;
  return `INSERT INTO messages (id, conversation_id, sender_id, seq, content, created_at)
    SELECT md5('m' || i)::uuid, md5('c' || (i % ${CONVERSATIONS}))::uuid,
           md5('u' || (((i % ${CONVERSATIONS}) * 7 + (i % ${MEMBERS_PER_CONVERSATION}) * 131) % ${USERS}))::uuid,
           i / ${CONVERSATIONS} + 1,
           CASE WHEN (i / ${CONVERSATIONS}) % 10 = 3 THEN
             array_to_string(ARRAY(SELECT ${sqlArray(CJK)}[1 + floor(random() * ${CJK.length})::int]
                                   FROM generate_series(1, 3 + (i % 5)) g WHERE g > -i), '')
           WHEN (i / ${CONVERSATIONS}) % 100 = 1 THEN ${pickWords("80 + (i % 41)")}
           ELSE ${pickWords("5 + (i % 15)")}
             || CASE WHEN i % 997 = 0 THEN ' ' || ${sqlArray(RARE)}[1 + (i % ${RARE.length})] ELSE '' END
           END,
           now() - ((${total} - i) * interval '1 second')
    FROM generate_series(${from}, ${to}) i`;
}

/** Users, conversations and memberships (and the power user). */
const PEOPLE_INSERT = `INSERT INTO users (id, username, display_name)
     SELECT md5('u' || i)::uuid, 'bench_' || i, 'Bench User ' || i FROM generate_series(0, ${USERS - 1}) i;
     INSERT INTO conversations (id, type, name, description, created_by)
     SELECT md5('c' || c)::uuid, 'group', 'Team ' || c, 'Bench conversation ' || c, md5('u' || (c % ${USERS}))::uuid
     FROM generate_series(0, ${CONVERSATIONS - 1}) c;
     INSERT INTO conversation_members (conversation_id, user_id, role)
     SELECT md5('c' || c)::uuid, md5('u' || ((c * 7 + k * 131) % ${USERS}))::uuid,
            CASE WHEN k = 0 THEN 'owner' ELSE 'member' END
     FROM generate_series(0, ${CONVERSATIONS - 1}) c, generate_series(0, ${MEMBERS_PER_CONVERSATION - 1}) k
     ON CONFLICT DO NOTHING;
     INSERT INTO users (id, username, display_name) VALUES (md5('power')::uuid, 'bench_power', 'Power User');
     INSERT INTO conversation_members (conversation_id, user_id)
     SELECT md5('c' || c)::uuid, md5('power')::uuid FROM generate_series(0, ${POWER_CONVERSATIONS - 1}) c`;

/** Secondary indexes of messages (not those behind constraints), to rebuild after the load. */
async function secondaryIndexes(client: pg.Client): Promise<{ name: string; def: string }[]> {
  const { rows } = await client.query(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.tablename = 'messages' AND NOT EXISTS (
       SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  return rows as { name: string; def: string }[];
}

/**
 * Seeds `total` messages; the migrations have run. Indexes are built after the bulk insert.
 * `vacuum` does what autovacuum does to an insert-only table on PostgreSQL (marks pages
 * all-visible, so index-only scans need no heap fetches); PGlite has no autovacuum.
 */
export async function seedCorpus(url: string, total: number, vacuum: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // the caller may drop the database under it
  await client.connect();
  const step = async (label: string, sql: string) => {
    const started = Date.now();
    await client.query(sql);
    console.log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await client.query("SET maintenance_work_mem = '256MB'");
  await step("users, conversations, members", PEOPLE_INSERT);
  const indexes = await secondaryIndexes(client);
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
  const batch = 250_000;
  for (let from = 0; from < total; from += batch) {
    const to = Math.min(total, from + batch) - 1;
    await step(`messages ${from}..${to}`, messagesInsert(from, to, total));
  }
  await step(
    "last_seq",
    `UPDATE conversations c SET last_seq = s.max_seq
     FROM (SELECT conversation_id, max(seq) AS max_seq FROM messages GROUP BY conversation_id) s
     WHERE s.conversation_id = c.id`,
  );
  for (const index of indexes) await step(index.name, index.def);
  await step(vacuum ? "vacuum analyze" : "analyze", vacuum ? "VACUUM (ANALYZE)" : "ANALYZE");
  await client.end();
}

/** True when the database already holds a seeded corpus of `total` messages. */
export async function isSeeded(url: string, total: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM messages WHERE id = md5('m' || $1::text)::uuid",
      [total - 1],
    );
    return rows[0].n === 1;
  } finally {
    await client.end();
  }
}

export interface PlannedSearch {
  kind: string;
  q: string;
  caller: string;
  power: boolean;
}

const asUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
const md5Uuid = (text: string) => asUuid(crypto.createHash("md5").update(text).digest("hex"));

/** The id of message `i` of the corpus (for the primary-key baseline). */
export const messageId = (i: number): string => md5Uuid(`m${i}`);

/** `count` searches: every query kind in turn, every tenth one by the power user. */
export function workload(count: number): PlannedSearch[] {
  const pick = <T>(list: T[]) => list[crypto.randomInt(list.length)];
  const kinds: [string, () => string][] = [
    ["word", () => pick(WORDS.slice(0, 120))],
    ["prefix", () => pick(WORDS.slice(0, 120)).slice(0, 4)],
    ["two words", () => `${pick(WORDS)} ${pick(WORDS)}`],
    ["phrase", () => `"${pick(WORDS)} ${pick(WORDS)}"`],
    ["or + exclusion", () => `${pick(WORDS)} or ${pick(WORDS)} -${pick(WORDS)}`],
    ["rare word", () => pick(RARE)],
    ["cjk substring", () => pick(CJK)],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [kind, make] = kinds[i % kinds.length];
    const power = i % 10 === 9;
    const caller = md5Uuid(power ? "power" : `u${crypto.randomInt(USERS)}`);
    return { kind, q: make(), caller, power };
  });
}
