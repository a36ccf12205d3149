import assert from "node:assert/strict";
import fc from "fast-check";
import { ERROR_STATUS } from "../../lib/errors";
import { buildOpenApiDocument } from "../../lib/openapi/openapi-document";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUsers, TestUser } from "../support/factories";
import {
  bodyEncoding,
  encodeBody,
  FuzzRequest,
  KnownIds,
  pathValue,
  queryOf,
  valueFor,
} from "../support/fuzz-arbitraries";
import { send } from "../support/message-fixtures";
import { assertServing } from "../support/attack-checks";
import { startTestApp } from "../support/test-app";

type Json = Record<string, any>;

/** Generated requests per operation: the whole suite stays well under a minute. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

/** Every operation of the OpenAPI document as a generator of hostile requests. */
function operations(ids: KnownIds, token: string): [string, fc.Arbitrary<FuzzRequest>][] {
  const document = buildOpenApiDocument() as Json;
  return Object.entries<Json>(document.paths).flatMap(([template, methods]) =>
    Object.entries<Json>(methods).map(([method, operation]) => {
      const parameters: Json[] = operation.parameters ?? [];
      const pathParams = parameters.filter((p) => p.in === "path");
      const queryParams = parameters.filter((p) => p.in === "query");
      const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
      const request = fc.record({
        path: fc.tuple(...pathParams.map((p) => pathValue(p.name, ids))),
        query: fc.record(
          Object.fromEntries(queryParams.map((p) => [p.name, valueFor(p.schema, ids, p.name)])),
          { requiredKeys: [] },
        ),
        body: valueFor(bodySchema ?? { type: "object" }, ids),
        encoding: bodyEncoding,
        auth: fc.constantFrom("token", "token", "token", "none", "garbage"),
      });
      const arbitrary = request.map(({ path, query, body, encoding, auth }): FuzzRequest => {
        let at = 0;
        const url = template.replace(/\{\w+\}/g, () => path[at++]);
        const encoded = encodeBody(encoding, body);
        const authorization: Record<string, string> =
          auth === "none" ? {} : { authorization: `Bearer ${auth === "token" ? token : "x.y.z"}` };
        return {
          path: url,
          query: queryOf(query),
          headers: { ...encoded.headers, ...authorization },
          body: method === "get" ? undefined : encoded.body,
        };
      });
      return [`${method.toUpperCase()} ${template}`, arbitrary] as [
        string,
        fc.Arbitrary<FuzzRequest>,
      ];
    }),
  );
}

/** The answer to any input: a result, or a 4xx with the contract's error body. Never a 5xx. */
async function assertAnswered(url: string, method: string, request: FuzzRequest): Promise<void> {
  const res = await fetch(url + request.path + request.query, {
    method,
    headers: request.headers,
    body: request.body,
  });
  const text = await res.text();
  const what = `${method} ${request.path}${request.query.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
  assert.ok(res.status < 500, what);
  // 431 (too many header bytes) is Node's parser answering before any handler.
  if (res.status < 400 || res.status === 431) return;
  const code = (JSON.parse(text) as { error?: { code?: keyof typeof ERROR_STATUS } }).error?.code;
  assert.ok(code && ERROR_STATUS[code] === res.status, what);
}

async function upload(user: TestUser): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob(["fuzzed bytes"]), "note.txt");
  const res = await user.api.post("/api/v1/files", form);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

for (const backend of backends()) {
  describe(`no 5xx from any input: every OpenAPI operation, fuzzed [${backend.name}]`, () => {
    let url: string;
    let users: TestUser[];
    let generators: [string, fc.Arbitrary<FuzzRequest>][];

    before(async () => {
      ({ url } = await startTestApp(backend));
      users = await registerUsers(url, ["fuzz", "fuzzpeer"]);
      const [owner, peer] = users;
      const groups = [
        await createGroup(owner, [peer], { name: "fuzzed" }),
        await createGroup(owner, [peer], { name: "fuzzed too" }),
      ];
      const root = await send(owner, groups[0].id, "fuzz root");
      const reply = await send(peer, groups[0].id, { content: "a reply", parent_id: root.id });
      const ids: KnownIds = {
        users: users.map((user) => user.id),
        conversations: groups.map((group) => group.id),
        messages: [root.id, reply.id],
        files: [await upload(owner)],
      };
      generators = operations(ids, owner.token);
    });

    it("answers every generated request with a result or a 4xx error body, and stays healthy", async function () {
      this.timeout(120_000);
      assert.ok(generators.length >= 30, `${generators.length} operations`);
      for (const [name, arbitrary] of generators) {
        const method = name.split(" ")[0];
        await fc.assert(
          fc.asyncProperty(arbitrary, (request) => assertAnswered(url, method, request)),
          { numRuns: RUNS, endOnFailure: true },
        );
      }
      await assertServing(url, users[1]);
    });
  });
}
