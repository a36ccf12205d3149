import type { LoadOptions } from "../options";
import { seededRandom, pick } from "../random";
import { openLoopRest } from "../rest-load";
import type { TargetResult } from "../results";
import { closeSession, openSession, Session } from "../session";
import { messageContents, VOCABULARY } from "../setup";
import type { Target } from "../target";
import { runPhases } from "./throughput";

export function searchSeconds(options: LoadOptions): number {
  // SQL seeding runs at thousands of rows/s; socket seeding at --rate.
  return (
    options.corpus / 2000 + options.corpus / Math.max(1, options.rate) + options.durationS + 20
  );
}

/** Fills the corpus: straight SQL next to a spawned node, else by sending messages. */
async function seedCorpus(
  session: Session,
  options: LoadOptions,
): Promise<{ rows: number; seconds: number; via: string }> {
  const { target } = session;
  if (target.node) {
    const seeded = await target.node.call<{ rows: number; seconds: number }>("seedCorpus", {
      conversations: session.conversations.map((c) => ({
        id: c.id,
        memberIds: c.members.map((m) => session.users[m].id),
      })),
      total: options.corpus,
      contents: messageContents(5000, 11),
    });
    return { ...seeded, via: "SQL (batched INSERT next to the spawned node)" };
  }
  const started = Date.now();
  const durationS = options.corpus / options.rate;
  await runPhases(session, { ...options, step: null }, [
    { phase: 90, label: "seeding", rate: options.rate, durationS, warmup: true },
  ]);
  return {
    rows: options.corpus,
    seconds: (Date.now() - started) / 1000,
    via: "message.send over the sockets",
  };
}

/** A query: one or two words of the corpus vocabulary, sometimes a phrase or an exclusion. */
export function searchQuery(random: () => number): string {
  const roll = random();
  const a = pick(random, VOCABULARY);
  const b = pick(random, VOCABULARY);
  if (roll < 0.5) return a;
  if (roll < 0.8) return `${a} ${b}`;
  if (roll < 0.9) return `"${a} ${b}"`;
  return `${a} -${b}`;
}

/** Open-loop search queries by random members over their conversations. */
export function searchLoad(session: Session, rate: number, durationMs: number) {
  const random = seededRandom(99);
  const url = session.target.urls[0];
  return openLoopRest(rate, durationMs, () => {
    const user = pick(random, session.users);
    return {
      url: `${url}/api/v1/search/messages?limit=20&q=${encodeURIComponent(searchQuery(random))}`,
      token: user.token,
    };
  });
}

/** Search latency over a seeded corpus (the conversations of the users of the run). */
export async function runSearch(target: Target, options: LoadOptions): Promise<TargetResult> {
  const session = await openSession(target, options, true);
  try {
    session.monitor.label = `${target.name} seeding`;
    const corpus = await seedCorpus(session, options);
    session.monitor.label = `${target.name} search`;
    const search = await searchLoad(session, options.searchRate, options.durationS * 1000);
    if (!options.quiet) {
      process.stderr.write(
        `\n[${target.name}] search: p50 ${search.latency.p50} ms, p95 ${search.latency.p95} ms, p99 ${search.latency.p99} ms over ${corpus.rows} seeded messages\n`,
      );
    }
    return {
      name: target.name,
      describe: target.describe,
      connect: session.connect,
      phases: [],
      timeline: session.monitor.points,
      dropped: 0,
      errorCodes: {},
      memory: null,
      extra: { corpus, search, searchRate: options.searchRate },
    };
  } finally {
    await closeSession(session);
  }
}
