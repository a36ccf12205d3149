import { PassThrough, Readable } from "node:stream";
import { ZipFile } from "yazl";
import type { FileStorage } from "../../files/file-storage";
import type { AccountJobRow, JobUpdate } from "../../store/account-job-repository";
import type { ExportRepository } from "../../store/export-repository";
import { cleanFilename } from "../files/file-service";
import type { JobHandler } from "./account-job-runner";

export interface DataExporterDeps {
  exports: ExportRepository;
  storage: FileStorage;
  /** `accounts.export_expiry`: how long the archive and its link last. */
  expiryMs: number;
  batchSize: number;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2) + "\n");

/**
 * Builds a user's data export (the `export` job): a zip with their profile, conversations,
 * messages (JSON lines), reactions, blocks, reports and the files they uploaded, streamed
 * into file storage (never whole in memory), readable until it expires.
 */
export class DataExporter implements JobHandler {
  constructor(private readonly deps: DataExporterDeps) {}

  async step(job: AccountJobRow): Promise<JobUpdate> {
    const { exports, storage } = this.deps;
    const userId = job.user_id;
    const zip = new ZipFile();
    const key = `export-${job.id}.zip`;
    let size = 0;
    const output = new PassThrough();
    zip.outputStream.on("data", (chunk: Buffer) => (size += chunk.length)).pipe(output);
    const stored = storage.put(key, output, { contentType: "application/zip" });
    try {
      zip.addBuffer(json(await exports.profile(userId)), "profile.json");
      zip.addBuffer(json(await exports.conversations(userId)), "conversations.json");
      zip.addReadStream(Readable.from(this.messageLines(userId)), "messages.jsonl");
      zip.addBuffer(json(await exports.reactions(userId)), "reactions.json");
      zip.addBuffer(json(await exports.blocks(userId)), "blocks.json");
      zip.addBuffer(json(await exports.reports(userId)), "reports.json");
      const files = await exports.files(userId);
      zip.addBuffer(
        json(
          files.map(({ storage_key: _key, ...file }) => ({
            ...file,
            path: `files/${file.id}-${cleanFilename(file.filename)}`,
          })),
        ),
        "files.json",
      );
      for (const file of files) {
        const bytes = await storage.get(file.storage_key).catch(() => undefined);
        if (bytes) zip.addReadStream(bytes, `files/${file.id}-${cleanFilename(file.filename)}`);
      }
    } catch (error) {
      zip.end();
      await stored.catch(() => undefined);
      await storage.delete(key).catch(() => undefined);
      throw error;
    }
    zip.end();
    await stored;
    return {
      status: "done",
      result: { storage_key: key, size },
      expiresAt: new Date(Date.now() + this.deps.expiryMs),
    };
  }

  /** The user's live messages as JSON lines, read a page at a time. */
  private async *messageLines(userId: string): AsyncGenerator<Buffer> {
    let after = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const rows = await this.deps.exports.messages(userId, after, this.deps.batchSize);
      if (rows.length === 0) return;
      const attachments = await this.deps.exports.attachmentsOf(rows.map((row) => row.id));
      for (const row of rows) {
        const files = attachments.filter((a) => a.message_id === row.id).map((a) => a.file_id);
        yield Buffer.from(
          JSON.stringify({ ...row, seq: Number(row.seq), attachments: files }) + "\n",
        );
      }
      after = rows.at(-1)!.id;
    }
  }
}
