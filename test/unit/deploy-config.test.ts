import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

const nginx = fs.readFileSync(path.join(__dirname, "..", "..", "deploy", "nginx.conf"), "utf8");

describe("deploy/nginx.conf", () => {
  it("logs paths without query strings, so ?token= never reaches the access log", () => {
    const format = /log_format\s+(\w+)([^;]*);/.exec(nginx);
    assert.ok(format, "a log_format of its own");
    for (const variable of [
      "$request ",
      '$request"',
      "$request_uri",
      "$args",
      "$query_string",
      "$arg_",
    ]) {
      assert.ok(!format[2].includes(variable), `${variable} in the log format`);
    }
    assert.match(format[2], /\$uri/);
    const logs = [...nginx.matchAll(/access_log\s+([^;]+);/g)].map((match) => match[1].trim());
    assert.ok(
      logs.length > 0 && logs.every((log) => log === "off" || log.endsWith(` ${format[1]}`)),
    );
  });
});
