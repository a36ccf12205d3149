import type { LoadOptions } from "../options";
import { sleep } from "../random";
import type { TargetResult } from "../results";
import { closeSession, openSession } from "../session";
import type { Target } from "../target";

const mb = (bytes: number) => Math.round(bytes / 10485.76) / 100;

export function connectionsSeconds(options: LoadOptions): number {
  return options.holdS + 15;
}

/**
 * Ramp to N connections (half Socket.IO, half /ws by default), hold them, and report the
 * connect latency, drops during the hold, and the server's memory per connection.
 */
export async function runConnections(target: Target, options: LoadOptions): Promise<TargetResult> {
  const before = await target.memory().catch(() => null);
  const session = await openSession(target, options, false);
  try {
    session.monitor.label = `${target.name} hold`;
    await sleep(options.holdS * 1000);
    const after = await target.memory().catch(() => null);
    const finals = await session.driver.final();
    return {
      name: target.name,
      describe: target.describe,
      connect: session.connect,
      phases: [],
      timeline: session.monitor.points,
      dropped: finals.reduce((n, f) => n + f.dropped, 0),
      errorCodes: {},
      memory:
        before && after
          ? {
              beforeMb: mb(before.rss),
              afterMb: mb(after.rss),
              heapBeforeMb: mb(before.heapUsed),
              heapAfterMb: mb(after.heapUsed),
              perConnectionKb: Math.round(
                (after.rss - before.rss) / 1024 / Math.max(1, session.connect.connected),
              ),
            }
          : null,
      extra: {
        holdS: options.holdS,
        heapPerConnectionKb:
          before && after
            ? Math.round(
                (after.heapUsed - before.heapUsed) / 1024 / Math.max(1, session.connect.connected),
              )
            : null,
        setupSeconds: session.setupSeconds,
      },
    };
  } finally {
    await closeSession(session);
  }
}
