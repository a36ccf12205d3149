import { REPORT_REASONS, REPORT_RESOLUTIONS } from "../domain/safety/report-service";
import { nullable, object, pageOf, ref, time, uuid } from "./components";

const REPORT = {
  id: uuid,
  message_id: uuid,
  conversation_id: uuid,
  sender_id: uuid,
  reporter_id: uuid,
  reason: { enum: [...REPORT_REASONS] },
  note: nullable({ type: "string" }),
  status: { enum: ["open", "resolved"] },
  created_at: time,
};

/** Component schemas of issue #19's objects (docs/privacy.md). */
export const ACCOUNT_SCHEMAS = {
  Block: object({
    user_id: { ...uuid, description: "The blocker (the caller)" },
    blocked_user_id: uuid,
    kind: {
      enum: ["block", "mute"],
      description: "block: also no new direct conversation between the two; mute: delivery only",
    },
    created_at: time,
  }),
  BlockPage: pageOf("Block"),
  Report: object(REPORT),
  AdminReport: object({
    ...REPORT,
    message: { ...ref("Message"), description: "The message as it was when reported" },
    resolution: nullable({ enum: [...REPORT_RESOLUTIONS] }),
    resolution_note: nullable({ type: "string" }),
    resolved_by: nullable(object({ user_id: nullable(uuid), api_key_id: nullable(uuid) })),
    resolved_at: nullable(time),
  }),
  AdminReportPage: pageOf("AdminReport"),
  DataExport: object({
    id: uuid,
    status: { enum: ["pending", "ready", "failed", "expired"] },
    created_at: time,
    completed_at: nullable(time),
    expires_at: nullable(time),
    size: nullable({ type: "integer", description: "Bytes of the archive (ready only)" }),
    download_url: nullable({
      type: "string",
      description: "A signed link that needs no token, until expires_at (ready only)",
    }),
  }),
  ConversationRetention: object({
    conversation_id: uuid,
    retention_days: nullable({ type: "integer", minimum: 1, maximum: 36500 }),
    effective_days: nullable({
      type: "integer",
      description: "The shorter of the conversation's and the global period; null: kept",
    }),
  }),
};
