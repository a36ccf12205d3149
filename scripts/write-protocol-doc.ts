import fs from "node:fs";
import path from "node:path";
import { renderProtocolDoc } from "../sockets/protocol-catalog";

// Writes docs/protocol.md from the protocol catalog (test/unit/protocol-doc.test.ts checks it).
const target = path.join(__dirname, "..", "docs", "protocol.md");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderProtocolDoc());
console.log(`wrote ${target}`);
