import crypto from "node:crypto";
import { Driver } from "./driver";
import { Monitor } from "./monitor";
import type { LoadOptions } from "./options";
import { ConnectSummary, summarizeConnect } from "./results";
import {
  createConversations,
  createUsers,
  LoadUser,
  messageContents,
  planConversations,
} from "./setup";
import type { Target } from "./target";
import type { ClientSpec, ConversationSpec, GroupPlan, Transport } from "./types";

/** A connected population of clients on one target, ready to run phases. */
export interface Session {
  target: Target;
  runTag: string;
  users: LoadUser[];
  conversations: ConversationSpec[];
  driver: Driver;
  monitor: Monitor;
  connect: ConnectSummary;
  setupSeconds: number;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host.startsWith("127.");
}

function transportFor(target: Target, options: LoadOptions, index: number): Transport {
  if (target.kind === "bare-io") return "io";
  if (target.kind === "bare-ws") return "ws";
  if (options.transport === "mix") return index % 2 === 0 ? "io" : "ws";
  return options.transport;
}

/** Splits the clients over the worker groups (round-robin) with what each needs to know. */
export function groupPlans(
  target: Target,
  options: LoadOptions,
  users: LoadUser[],
  conversations: ConversationSpec[],
  runTag: string,
): GroupPlan[] {
  const memberships = users.map(() => [] as number[]);
  conversations.forEach((conversation, c) =>
    conversation.members.forEach((m) => memberships[m].push(c)),
  );
  const groups = Math.max(1, options.generatorWorkers);
  const contents = messageContents(500, 7);
  return Array.from({ length: groups }, (_, groupId) => {
    const clients: ClientSpec[] = users
      .filter((user) => user.index % groups === groupId)
      .map((user) => {
        const url = target.urls[user.index % target.urls.length];
        return {
          index: user.index,
          userId: user.id,
          token: user.token,
          url,
          transport: transportFor(target, options, user.index),
          localAddress: isLoopback(url)
            ? `127.0.0.${2 + (user.index % options.addresses)}`
            : undefined,
          conversations: memberships[user.index],
        };
      });
    return {
      groupId: groupId + 1,
      runTag,
      bare: target.kind !== "service",
      clients,
      conversations,
      mix: options.mix,
      contents,
      ackTimeoutMs: 30_000,
      maxInFlight: 100_000,
      seed: 1000 + groupId,
    };
  });
}

/**
 * Users, conversations (when `withConversations`), then every connection at the ramp rate.
 * The monitor runs from the first connection on.
 */
export async function openSession(
  target: Target,
  options: LoadOptions,
  withConversations: boolean,
): Promise<Session> {
  const started = Date.now();
  const runTag = crypto.randomBytes(3).toString("hex");
  const log = (text: string) => options.quiet || process.stderr.write(`[${target.name}] ${text}\n`);
  log(`provisioning ${options.connections} users`);
  const users = await createUsers(target, options.connections, runTag);
  let conversations: ConversationSpec[] = [];
  if (withConversations) {
    const plans = planConversations(
      {
        users: users.length,
        // Kinds the mix never sends to are not created (setup time, server memory).
        groups10: options.groups10 ?? (options.mix.g10 > 0 ? undefined : 0),
        groups20: options.groups20 ?? (options.mix.g20 > 0 ? undefined : 0),
        groups200: options.groups200 ?? (options.mix.g200 > 0 ? undefined : 0),
      },
      42,
    );
    log(`creating ${plans.length} conversations`);
    conversations = await createConversations(target, users, plans);
  }
  const driver = Driver.create(
    groupPlans(target, options, users, conversations, runTag),
    options.generatorWorkers > 0,
  );
  const monitor = new Monitor(driver, target, options.quiet);
  monitor.label = `${target.name} connect`;
  monitor.start();
  log(`connecting ${users.length} clients at ${options.rampPerSec}/s`);
  // The connections scenario measures the ramp itself: profile it (throughput profiles its phases).
  const profileRamp = !withConversations && target.profiler;
  if (profileRamp) await target.profiler!.start();
  const connect = summarizeConnect(await driver.connect(options.rampPerSec, 30_000), users.length);
  if (profileRamp) {
    for (const file of await target.profiler!.stop()) log(`CPU profile of the ramp: ${file}`);
  }
  return {
    target,
    runTag,
    users,
    conversations,
    driver,
    monitor,
    connect,
    setupSeconds: (Date.now() - started) / 1000,
  };
}

export async function closeSession(session: Session): Promise<void> {
  await session.monitor.stop();
  await session.driver.close();
}
