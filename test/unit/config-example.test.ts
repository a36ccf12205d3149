import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { renderConfigExample } from "../../config/config-example";
import { loadConfig } from "../../config/load-config";
import { CONFIG_KEYS } from "../../config/schema";

const EXAMPLE = path.join(__dirname, "..", "..", "config", "config.example.yaml");

describe("config/config.example.yaml", () => {
  it("is up to date with config/schema.ts (run `npm run config:example`)", () => {
    assert.equal(fs.readFileSync(EXAMPLE, "utf8"), renderConfigExample());
  });

  it("documents every key with its environment variable", () => {
    const text = fs.readFileSync(EXAMPLE, "utf8");
    for (const key of CONFIG_KEYS) {
      const name = key.path.split(".").pop()!;
      assert.match(text, new RegExp(`^\\s*(# )?${name}:`, "m"), key.path);
      if (key.env) assert.ok(text.includes(`(env ${key.env})`), key.env);
    }
  });

  it("loads as a valid configuration equal to the defaults", () => {
    const fromFile = loadConfig({ env: {}, file: EXAMPLE });
    assert.deepEqual(fromFile, loadConfig({ env: {}, file: null }));
  });
});
