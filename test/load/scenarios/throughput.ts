import { cpuBetween, CpuReading, CpuRole, PhaseCpuSpent, readCpu } from "../cpu-meter";
import type { LoadOptions } from "../options";
import { PhaseDefinition, summarizePhase, summarizePhases, TargetResult } from "../results";
import { closeSession, openSession, Session } from "../session";
import { readServerLatency, summarizeServerLatency } from "../server-latency";
import type { Target } from "../target";
import { PhaseBus, phaseBus, readBusReceived } from "../bus-counter";

const mb = (bytes: number) => Math.round(bytes / 10485.76) / 100;

/** Phases of the run: a warm-up, then one fixed rate or the steps of a step-up. */
export function throughputPhases(options: LoadOptions): PhaseDefinition[] {
  const phases: PhaseDefinition[] = [];
  const firstRate = options.step ? options.step.start : options.rate;
  if (options.warmupS > 0) {
    phases.push({
      phase: 0,
      label: "warm-up",
      rate: firstRate,
      durationS: options.warmupS,
      warmup: true,
    });
  }
  if (!options.step) {
    phases.push({
      phase: 1,
      label: `${options.rate}/s`,
      rate: options.rate,
      durationS: options.durationS,
    });
    return phases;
  }
  for (
    let rate = options.step.start, phase = 1;
    rate <= options.step.max;
    rate += options.step.increment, phase++
  ) {
    phases.push({ phase, label: `${rate}/s`, rate, durationS: options.stepDurationS });
  }
  return phases;
}

/** Upper bound of the time the phases take (sending plus the drains between steps). */
export function throughputSeconds(options: LoadOptions): number {
  return (
    throughputPhases(options).reduce((s, p) => s + p.durationS + (options.step ? 5 : 0), 0) + 10
  );
}

/** Reads the CPU of every process the run measures (nothing when the target is a URL). */
async function cpuReading(session: Session): Promise<CpuReading | null> {
  const roles = session.target.cpuRoles?.();
  if (!roles) return null;
  return readCpu({ ...roles, generator: [process.pid, ...(await session.driver.pids())] });
}

function logCpu(
  session: Session,
  definition: PhaseDefinition,
  spent: Partial<Record<CpuRole, number>>,
  persistedPerSec: number,
): void {
  const acked = persistedPerSec * definition.durationS;
  const perMessage = Object.entries(spent)
    .map(([role, ms]) => `${role} ${(acked > 0 ? ms / acked : 0).toFixed(3)}`)
    .join(", ");
  process.stderr.write(
    `\n[${session.target.name}] ${definition.label}: CPU ms per message: ${perMessage}\n`,
  );
}

/**
 * Runs the phases on an open session. A step-up stops after the first step whose
 * send-to-receive p99 passes the bound; `maxRateWithinBound` is the last step within it.
 * Each measured phase waits for its deliveries to drain, so its CPU window holds its work.
 */
export async function runPhases(
  session: Session,
  options: LoadOptions,
  definitions: PhaseDefinition[],
) {
  const ran: PhaseDefinition[] = [];
  const cpu: PhaseCpuSpent = new Map();
  const bus: PhaseBus[] = [];
  const readBus = () =>
    session.target.kind === "service"
      ? (session.target.busReceived?.() ?? readBusReceived(session.target.urls))
      : null;
  let maxRateWithinBound: number | null = null;
  for (const definition of definitions) {
    session.monitor.label = `${session.target.name} ${definition.label}`;
    ran.push(definition);
    const before = definition.warmup ? null : await cpuReading(session);
    const busBefore = definition.warmup ? null : await readBus();
    const started = performance.now();
    await session.driver.runPhase(definition.phase, definition.rate, definition.durationS * 1000);
    if (definition.warmup) continue;
    await session.monitor.waitForDrain(options.step ? 5_000 : 10_000);
    const after = before ? await cpuReading(session) : null;
    const busAfter = busBefore === null ? null : await readBus();
    const stats = (await session.driver.phases())
      .flat()
      .filter((s) => s.phase === definition.phase);
    const result = summarizePhase(definition, stats, null);
    if (busBefore !== null && busAfter !== null) {
      const persisted = Math.round(result.persistedPerSec * definition.durationS);
      const phase = phaseBus(definition.label, busAfter - busBefore, persisted, result.delivered);
      bus.push(phase);
      if (!options.quiet) {
        process.stderr.write(
          `[${session.target.name}] ${definition.label}: bus messages received ${phase.busMessages}` +
            ` (${phase.perPersistedMessage} per message, ${phase.perDelivery} per delivery)\n`,
        );
      }
    }
    if (before && after) {
      const spent = cpuBetween(before, after);
      cpu.set(definition.phase, { ms: spent, seconds: (performance.now() - started) / 1000 });
      if (!options.quiet) logCpu(session, definition, spent, result.persistedPerSec);
    }
    if (!options.step) continue;
    const within =
      result.receive.p99 <= options.p99BoundMs && result.lost === 0 && result.errors === 0;
    if (!options.quiet) {
      process.stderr.write(
        `[${session.target.name}] step ${definition.label}: receive p99 ${result.receive.p99} ms, ` +
          `persisted ${result.persistedPerSec.toFixed(0)}/s ${within ? "within" : "PAST"} the ${options.p99BoundMs} ms bound\n`,
      );
    }
    if (!within) break;
    maxRateWithinBound = definition.rate;
  }
  session.monitor.label = `${session.target.name} drain`;
  const drained = await session.monitor.waitForDrain(10_000);
  return { ran, maxRateWithinBound, drained, cpu, bus };
}

export async function runThroughput(target: Target, options: LoadOptions): Promise<TargetResult> {
  const before = await target.memory().catch(() => null);
  const session = await openSession(target, options, true);
  await target.settle?.();
  const latencyBefore = target.kind === "service" ? await readServerLatency(target.urls) : null;
  try {
    await target.profiler?.start();
    const { ran, maxRateWithinBound, drained, cpu, bus } = await runPhases(
      session,
      options,
      throughputPhases(options),
    );
    const profiles = (await target.profiler?.stop()) ?? [];
    for (const file of profiles) process.stderr.write(`[${target.name}] CPU profile: ${file}\n`);
    const after = await target.memory().catch(() => null);
    const finals = await session.driver.final();
    const serverLatency = summarizeServerLatency(
      latencyBefore,
      latencyBefore ? await readServerLatency(target.urls) : null,
    );
    const kinds = { direct: 0, g10: 0, g20: 0, g200: 0 };
    for (const conversation of session.conversations) kinds[conversation.kind] += 1;
    return {
      name: target.name,
      describe: target.describe,
      connect: session.connect,
      phases: summarizePhases(ran, finals, cpu),
      timeline: session.monitor.points,
      dropped: finals.reduce((n, f) => n + f.dropped, 0),
      errorCodes: Object.assign({}, ...finals.map((f) => f.errorCodes)),
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
        conversations: kinds,
        mix: options.mix,
        maxRateWithinBound,
        p99BoundMs: options.p99BoundMs,
        clusterBus: bus,
        drained,
        serverLatency,
        setupSeconds: session.setupSeconds,
      },
    };
  } finally {
    await closeSession(session);
  }
}
