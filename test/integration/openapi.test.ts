import assert from "node:assert/strict";
import { documentedRoutes } from "../../lib/openapi/openapi-document";
import { listRoutes } from "../../routes/list-routes";
import { backends } from "../support/backends";
import { ApiClient } from "../support/http-client";
import { startTestApp } from "../support/test-app";

// Routes that are not part of the REST API: the web client's files and the docs page.
const UNDOCUMENTED = new Set([
  "GET /docs",
  "GET /docs/init.js",
  "GET /,/index.html,/app.css,/favicon.svg,/build/*path",
]);

describe("OpenAPI document", () => {
  it("documents exactly the routes the service answers", async () => {
    const { app } = await startTestApp(backends()[0]);
    const served = listRoutes(app.http).filter((route) => !UNDOCUMENTED.has(route));
    const documented = documentedRoutes().sort();
    assert.deepEqual(
      served.filter((route) => !documented.includes(route)),
      [],
      "routes missing from the OpenAPI document",
    );
    assert.deepEqual(
      documented.filter((route) => !served.includes(route)),
      [],
      "documented routes the service does not answer",
    );
  });

  it("serves the OpenAPI and AsyncAPI documents publicly and a /docs page", async () => {
    const { url } = await startTestApp(backends()[0]);
    const client = new ApiClient(url);
    const doc = await client.get("/api/v1/openapi.json");
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, "3.1.0");
    assert.ok(doc.body.paths["/api/v1/conversations/{id}/messages"].post);
    const page = await client.get("/docs");
    assert.equal(page.status, 200);
    assert.match(String(page.body), /swagger-ui/);
    const asset = await fetch(`${url}/docs/assets/swagger-ui-bundle.js`);
    assert.equal(asset.status, 200);
    const asyncApi = await client.get("/api/v1/asyncapi.json");
    assert.equal(asyncApi.status, 200);
    assert.equal(asyncApi.body.asyncapi, "3.0.0");
    assert.deepEqual(Object.keys(asyncApi.body.channels).sort(), ["socketio", "ws"]);
  });
});
