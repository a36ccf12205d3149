import yaml from "js-yaml";
import { CONFIG_KEYS, ConfigKey } from "./schema";

const HEADER = `# Every configuration key of the messaging service, with its default.
# Generated from config/schema.ts by \`npm run config:example\`: do not edit by hand
# (a unit test fails when this file is out of date).
#
# Copy to ./config.yaml (or point CONFIG_FILE at it) and change what you need; environment
# variables (named on each key) override the file. Durations take ms, s, m, h or d.
# Keys shown commented out have no default.
`;

function defaultOf(key: ConfigKey): unknown {
  return (key.schema.describe() as { flags?: { default?: unknown } }).flags?.default;
}

function scalar(value: unknown): string {
  return yaml.dump(value, { flowLevel: 0, lineWidth: -1 }).trim();
}

/** config.example.yaml's text: one commented line per key, grouped by section. */
export function renderConfigExample(): string {
  const lines = [HEADER];
  let openPath: string[] = [];
  for (const key of CONFIG_KEYS) {
    const parts = key.path.split(".");
    const sections = parts.slice(0, -1);
    let shared = 0;
    while (shared < sections.length && sections[shared] === openPath[shared]) shared += 1;
    if (shared === 0 && openPath.length > 0) lines.push("");
    for (let depth = shared; depth < sections.length; depth += 1) {
      lines.push(`${"  ".repeat(depth)}${sections[depth]}:`);
    }
    openPath = sections;
    const indent = "  ".repeat(sections.length);
    lines.push(`${indent}# ${key.description}${key.env ? ` (env ${key.env})` : ""}`);
    const value = defaultOf(key);
    const name = parts[parts.length - 1];
    lines.push(value === undefined ? `${indent}# ${name}:` : `${indent}${name}: ${scalar(value)}`);
  }
  return lines.join("\n") + "\n";
}
