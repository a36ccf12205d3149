import type { Driver } from "../driver";
import { mapLimit, sleep } from "../random";
import { rest } from "../setup";
import type { PresenceCheck } from "./fault-summary";

/** A failing node's probes: users held away once dropped, watched going offline and back. */
export interface ProbeSet {
  userIds: string[];
  clientIndices: number[];
}

/** Holds every `every`-th client now on `url`: once dropped it stays away until released. */
export async function holdProbes(
  driver: Driver,
  url: string,
  every: number,
  indexOf: Map<string, number>,
): Promise<ProbeSet> {
  const userIds = (await driver.each<string[]>("hold", url, every)).flat();
  return { userIds, clientIndices: userIds.map((id) => indexOf.get(id)!) };
}

/** When each user was first heard announced with `status` at or after `since` (any client). */
async function heard(
  driver: Driver,
  userIds: string[],
  status: string,
  since: number,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (const sightings of await driver.each<Record<string, number | null>>(
    "sightings",
    userIds,
    status,
    since,
  )) {
    for (const [userId, at] of Object.entries(sightings)) {
      if (at !== null && (!seen.has(userId) || at < seen.get(userId)!)) seen.set(userId, at);
    }
  }
  return seen;
}

/**
 * Until every user was heard with `status`, or none more for 1.5 s after the first (a probe
 * whose contacts are all away is heard by nobody; the others come in one sweep's burst), or
 * `timeoutMs`.
 */
async function waitToHear(
  driver: Driver,
  userIds: string[],
  status: string,
  since: number,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  let changedAt = Date.now();
  for (;;) {
    const seen = await heard(driver, userIds, status, since);
    if (seen.size !== count) [count, changedAt] = [seen.size, Date.now()];
    const quiet = count > 0 && Date.now() - changedAt > 1500;
    if (count === userIds.length || quiet || Date.now() > deadline) return seen;
    await sleep(250);
  }
}

/** Until every released probe is connected again (or `timeoutMs`). */
async function waitForProbes(driver: Driver, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const away = (await driver.each<number>("probesAway")).reduce((a, b) => a + b, 0);
    if (away === 0 || Date.now() > deadline) return;
    await sleep(250);
  }
}

const secondsAfter = (from: number, times: number[]) =>
  times.map((at) => Math.round((at - from) / 10) / 100).sort((a, b) => a - b);

/**
 * After a node went away at `injectedAt`: waits (up to the bound and 10 s more) until its
 * probes are heard announced offline, reads their presence over REST, releases them, and
 * waits until they are heard online again.
 */
export async function checkProbes(input: {
  driver: Driver;
  probes: ProbeSet;
  injectedAt: number;
  boundS: number;
  url: string;
  token: string;
}): Promise<PresenceCheck> {
  const { driver, probes, injectedAt, boundS } = input;
  const offline = await waitToHear(
    driver,
    probes.userIds,
    "offline",
    injectedAt,
    boundS * 1000 + 10_000,
  );
  const readStatuses = () =>
    mapLimit(probes.userIds, 8, (id) =>
      rest<{ status: string }>(input.url, input.token, "GET", `/users/${id}/presence`).then(
        (presence) => presence.status,
        () => "unknown",
      ),
    );
  const statuses = await readStatuses();
  const releasedAt = Date.now();
  await driver.each("release");
  await waitForProbes(driver, 30_000);
  const online = await waitToHear(driver, probes.userIds, "online", releasedAt, 20_000);
  const statusesAfter = await readStatuses();
  const offlineTimes = secondsAfter(injectedAt, [...offline.values()]);
  const onlineTimes = secondsAfter(releasedAt, [...online.values()]);
  return {
    probes: probes.userIds.length,
    boundS,
    offlineHeard: offline.size,
    offlineP50S: offlineTimes[Math.floor(offlineTimes.length / 2)] ?? null,
    offlineMaxS: offlineTimes[offlineTimes.length - 1] ?? null,
    offlineRead: statuses.filter((status) => status === "offline").length,
    onlineHeard: online.size,
    onlineMaxS: onlineTimes[onlineTimes.length - 1] ?? null,
    onlineRead: statusesAfter.filter((status) => status === "online").length,
    releasedAt,
  };
}
