import type { LoadOptions } from "../options";
import { pick, seededRandom } from "../random";
import { openLoopRest } from "../rest-load";
import { summarizePhases, TargetResult } from "../results";
import { closeSession, openSession, Session } from "../session";
import type { Target } from "../target";
import { searchLoad } from "./search";
import { runPhases, throughputPhases, throughputSeconds } from "./throughput";

export function mixedSeconds(options: LoadOptions): number {
  return throughputSeconds({ ...options, step: null }) + 5;
}

/** Open-loop history reads: the newest 50 messages of a random conversation of the caller. */
function historyLoad(session: Session, rate: number, durationMs: number) {
  const random = seededRandom(17);
  const url = session.target.urls[0];
  return openLoopRest(rate, durationMs, () => {
    const conversation = pick(random, session.conversations);
    const user = session.users[pick(random, conversation.members)];
    return {
      url: `${url}/api/v1/conversations/${conversation.id}/messages?limit=50`,
      token: user.token,
    };
  });
}

/** REST history and search traffic while the fixed-rate fan-out runs. */
export async function runMixed(target: Target, options: LoadOptions): Promise<TargetResult> {
  const session = await openSession(target, options, true);
  try {
    const definitions = throughputPhases({ ...options, step: null });
    const measured = definitions.find((d) => !d.warmup)!;
    const warmupMs = definitions
      .filter((d) => d.warmup)
      .reduce((s, d) => s + d.durationS * 1000, 0);
    const restTraffic = new Promise<
      [Awaited<ReturnType<typeof historyLoad>>, Awaited<ReturnType<typeof searchLoad>>]
    >((resolve, reject) =>
      setTimeout(() => {
        // Settles restTraffic, which is awaited below.
        void Promise.all([
          historyLoad(session, options.historyRate, measured.durationS * 1000),
          searchLoad(session, options.searchRate, measured.durationS * 1000),
        ]).then(resolve, reject);
      }, warmupMs),
    );
    const { ran, drained } = await runPhases(session, { ...options, step: null }, definitions);
    const [history, search] = await restTraffic;
    const finals = await session.driver.final();
    return {
      name: target.name,
      describe: target.describe,
      connect: session.connect,
      phases: summarizePhases(ran, finals),
      timeline: session.monitor.points,
      dropped: finals.reduce((n, f) => n + f.dropped, 0),
      errorCodes: Object.assign({}, ...finals.map((f) => f.errorCodes)),
      memory: null,
      extra: {
        history,
        search,
        historyRate: options.historyRate,
        searchRate: options.searchRate,
        drained,
      },
    };
  } finally {
    await closeSession(session);
  }
}
