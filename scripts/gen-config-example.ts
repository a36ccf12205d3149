import fs from "node:fs";
import path from "node:path";
import { renderConfigExample } from "../config/config-example";

/** `npm run config:example`: rewrites config/config.example.yaml from config/schema.ts. */
const target = path.join(__dirname, "..", "config", "config.example.yaml");
fs.writeFileSync(target, renderConfigExample());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
