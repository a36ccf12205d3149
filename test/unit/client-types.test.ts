import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REST_OPERATIONS, RestApi, backoffDelay } from "../../client/src/index";
import type { components } from "../../client/src/generated/api-types";
import type * as domain from "../../lib/domain/types";
import { documentedRoutes } from "../../lib/openapi/openapi-document";
import { CLIENT_TYPES_FILE, renderClientTypes } from "../../scripts/generate-client-types";

// Compile-time: the generated types and the service's own types describe the same objects
// (each assignable to the other), so `npm run typecheck` fails when they drift apart.
type S = components["schemas"];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<S["Message"], domain.Message>,
  Same<S["Conversation"], domain.Conversation>,
  Same<S["Member"], domain.Member>,
  Same<S["File"], domain.FileObject>,
  Same<S["Presence"], domain.Presence>,
  Same<S["ReadPointer"], domain.ReadPointer>,
  Same<S["Receipt"], domain.Receipt>,
  Same<S["SearchHit"], domain.SearchHit>,
] = [true, true, true, true, true, true, true, true];

describe("client SDK types", () => {
  it("are the ones generated from the service (run `npm run generate:client-types`)", async function () {
    this.timeout(30_000);
    assert.equal(fs.readFileSync(CLIENT_TYPES_FILE, "utf8"), await renderClientTypes());
    assert.ok(sameShapes.every(Boolean));
  });

  it("give every documented REST operation a method of RestApi", () => {
    assert.deepEqual(Object.keys(REST_OPERATIONS).sort(), documentedRoutes().sort());
    for (const method of Object.values(REST_OPERATIONS)) {
      assert.equal(typeof RestApi.prototype[method], "function", method);
    }
  });

  it("pins the SDK's dependencies to the versions the repository tests with", () => {
    const root = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
    const client = JSON.parse(
      fs.readFileSync(path.join(__dirname, "../../client/package.json"), "utf8"),
    );
    for (const [name, range] of Object.entries(client.dependencies)) {
      const installed = JSON.parse(
        fs.readFileSync(path.join(__dirname, "../../node_modules", name, "package.json"), "utf8"),
      ).version;
      const pinned = root.dependencies?.[name] ?? root.devDependencies?.[name];
      assert.ok(pinned, `${name} is not a dependency of the repository`);
      assert.ok(String(range).replace(/^\^/, "") <= installed, `${name} ${range} vs ${installed}`);
    }
  });
});

describe("reconnect backoff", () => {
  it("doubles up to the cap, with jitter in the upper half of each step", () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(0, options, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, options, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, options, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(10, options, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(10, options, () => 0),
      500,
    );
    const spread = new Set(Array.from({ length: 20 }, () => Math.round(backoffDelay(2, options))));
    assert.ok(spread.size > 5, "delays are spread out");
  });
});
