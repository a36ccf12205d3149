import crypto from "node:crypto";
import { Driver } from "../driver";
import { Monitor } from "../monitor";
import type { LoadOptions } from "../options";
import { sleep } from "../random";
import { summarizeConnect, TargetResult } from "../results";
import { groupPlans } from "../session";
import { createConversations, createUsers, LoadUser, planConversations } from "../setup";
import type { ConversationSpec, Totals } from "../types";
import { auditRun } from "../faults/delivery-audit";
import { adminQuery, FaultCluster } from "../faults/fault-cluster";
import type { FaultGroupFinal } from "../faults/fault-client-group";
import { faultSteps } from "../faults/fault-steps";
import { summarizeFaults } from "../faults/fault-summary";
import { faultPhases } from "../faults/fault-phases";
import { unpublishedCondition } from "../faults/outbox-state";

/** The presence timings the nodes run with: the service's defaults unless --env sets them. */
function presenceTimings(options: LoadOptions): { ttlS: number; graceS: number } {
  const parse = (value: string | undefined, fallback: number) => {
    const match = /^(\d+)(ms|s|m)?$/.exec(value ?? "");
    if (!match) return fallback;
    const unit = { ms: 0.001, s: 1, m: 60 }[match[2] ?? "ms"] ?? 0.001;
    return Number(match[1]) * unit;
  };
  return {
    ttlS: parse(options.env.PRESENCE_TTL, 60),
    graceS: parse(options.env.PRESENCE_OFFLINE_GRACE, 5),
  };
}

/** Upper bound of the scenario's time: setup, five faults with their waits, the drain. */
export function faultsSeconds(options: LoadOptions): number {
  const { ttlS } = presenceTimings(options);
  const perFault = options.outageS + options.recoverS + 10;
  return 90 + options.connections / 50 + 5 * perFault + ttlS + 10 + 20 + 20 + 120;
}

/** The run's own infrastructure is the only one it may use: drop what the environment named. */
function nodeEnvironment(options: LoadOptions): Record<string, string> {
  const env = { ...options.env };
  for (const key of ["DATABASE_URL", "REDIS_URL", "NATS_URL"]) delete env[key];
  return env;
}

async function lastSeqs(databaseUrl: string, conversations: ConversationSpec[]) {
  const rows = await adminQuery<{ conversation_id: string; last: number }>(
    databaseUrl,
    `SELECT conversation_id, max(seq)::int AS last FROM messages
      WHERE conversation_id = ANY($1::uuid[]) GROUP BY conversation_id`,
    [conversations.map((conversation) => conversation.id)],
  );
  return Object.fromEntries(rows.map((row) => [row.conversation_id, row.last]));
}

/**
 * Waits until every send is acknowledged, every member holds every stored seq of its
 * conversations, and the relay published every event; false if that takes over `timeoutMs`.
 */
async function drain(
  driver: Driver,
  databaseUrl: string,
  conversations: ConversationSpec[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const unpublishedSql = await unpublishedCondition(databaseUrl);
  for (;;) {
    const [totals, seqs, unpublished] = await Promise.all([
      driver.totals(),
      lastSeqs(databaseUrl, conversations),
      adminQuery<{ n: number }>(
        databaseUrl,
        `SELECT count(*)::int AS n FROM outbox WHERE ${unpublishedSql}`,
      ),
    ]);
    const behind = (await driver.each<number>("behind", seqs)).reduce((a, b) => a + b, 0);
    if (totals.pending === 0 && behind === 0 && unpublished[0].n === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(500);
  }
}

/**
 * `--scenario faults`: two nodes on a private PostgreSQL, Redis and NATS; open-loop traffic
 * from reconnecting clients while the five faults are injected one after another, each
 * followed by `--recover` seconds; then the audit (database, deliveries, JetStream).
 */
export async function runFaults(options: LoadOptions): Promise<TargetResult> {
  const log = (text: string) => options.quiet || process.stderr.write(`[faults] ${text}\n`);
  const { ttlS, graceS } = presenceTimings(options);
  log("starting PostgreSQL, Redis, NATS and two nodes of our own");
  const cluster = await FaultCluster.start(2, nodeEnvironment(options));
  const target = cluster.target();
  log(
    `own ${cluster.databaseUrl}, ${cluster.redis.url}, ${cluster.nats.url}; nodes ${target.urls}`,
  );
  let driver: Driver | undefined;
  let monitor: Monitor | undefined;
  try {
    const runTag = crypto.randomBytes(3).toString("hex");
    log(`provisioning ${options.connections} users and their conversations`);
    const users: LoadUser[] = await createUsers(target, options.connections, runTag);
    const conversations = await createConversations(
      target,
      users,
      planConversations({ users: users.length }, 42),
    );
    const plans = groupPlans(target, options, users, conversations, runTag).map((plan) => ({
      ...plan,
      faults: { urls: target.urls, ackBoundMs: options.ackBoundS * 1000 },
    }));
    driver = Driver.create(plans, options.generatorWorkers > 0);
    monitor = new Monitor(driver, target, options.quiet);
    monitor.label = "connect";
    monitor.start();
    const connect = summarizeConnect(
      await driver.connect(options.rampPerSec, 30_000),
      users.length,
    );
    log(`${connect.connected}/${connect.attempted} connected; sending ${options.rate}/s`);
    const runStart = Date.now();
    const windows = await faultPhases({
      driver,
      monitor,
      cluster,
      options,
      steps: faultSteps(options.outageS * 1000, ttlS),
      indexOf: new Map(users.map((user) => [user.id, user.index])),
      observer: users[0].token,
      log,
    });
    monitor.label = "drain";
    const drained = await drain(driver, cluster.databaseUrl, conversations, 120_000);
    log(drained ? "drained: every send acked, delivered and published" : "DRAIN TIMED OUT");
    const finals = await driver.each<FaultGroupFinal>("final");
    const audit = await auditRun({
      finals,
      conversations,
      databaseUrl: cluster.databaseUrl,
      natsUrl: cluster.nats.url,
      stream: options.env.NATS_STREAM ?? "MESSAGING",
    });
    const faults = summarizeFaults(windows, finals, audit, runStart);
    const totals: Totals = await driver.totals();
    return {
      name: target.name,
      describe: target.describe,
      connect,
      phases: [],
      timeline: monitor.points,
      dropped: totals.dropped,
      errorCodes: Object.assign({}, ...finals.map((final) => final.errorCodes)),
      extra: {
        faults,
        drained,
        storedMessages: audit.storedMessages,
        storedNeverAcked: audit.storedNeverAcked,
        jetstreamForeign: audit.jetstreamForeign,
        unpublished: audit.unpublished,
        setupEvents: audit.byPhase.get(-1) ?? null,
        presence: { ttlS, graceS },
      },
    };
  } finally {
    await monitor?.stop().catch(() => undefined);
    await driver?.close();
    await cluster.stop();
  }
}
