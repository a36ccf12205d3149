import { REPORT_REASONS, REPORT_RESOLUTIONS } from "../domain/safety/report-service";
import { Operation, errors, ok, page, ref } from "./operation-helpers";

const ADMIN = "Service admins (token) or API keys with the `admin` scope; others get 403.";
const refreshBody = {
  type: "object",
  required: ["refresh_token"],
  properties: { refresh_token: { type: "string", maxLength: 200 } },
};
const retention = {
  summary: "A conversation's own retention period",
  responses: { ...ok(200, "Retention", ref("ConversationRetention")), ...errors(400, 404) },
};

/** Issue #19's routes: sessions, blocks, reports, account deletion, export, retention. */
export const ACCOUNT_OPERATIONS: Record<string, Record<string, Operation>> = {
  "/api/v1/auth/refresh": {
    post: {
      summary: "Trade a refresh token for a new token and refresh token (rotation)",
      description:
        "Each refresh token works once. Presenting one that was already used ends its whole session (every refresh token of that login), since one of the two copies was stolen. Rate limited like logins.",
      public: true,
      body: refreshBody,
      responses: { ...ok(200, "New tokens", ref("AuthResult")), ...errors(400, 401) },
    },
  },
  "/api/v1/auth/logout": {
    post: {
      summary: "Sign out of one session (its refresh token)",
      description:
        "The session's refresh tokens stop working; its short-lived token lapses by itself. An unknown token also answers 204.",
      public: true,
      body: refreshBody,
      responses: { ...ok(204, "Signed out"), ...errors(400) },
    },
  },
  "/api/v1/auth/password": {
    post: {
      summary: "Change the password (the current one required); every other session ends",
      description:
        "Every token issued before the change is refused on every node and open connections are closed (user.sessions_revoked); the answer carries new tokens. 403 for a wrong current password or an account without one.",
      body: {
        type: "object",
        required: ["current_password", "new_password"],
        properties: {
          current_password: { type: "string", maxLength: 256 },
          new_password: { type: "string", minLength: 8, maxLength: 256 },
          refresh_token: { type: "boolean" },
        },
      },
      responses: { ...ok(200, "Changed", ref("AuthResult")), ...errors(400, 403) },
    },
  },
  "/api/v1/users/me/exports": {
    post: {
      summary: "Request an export of one's data (made in the background)",
      description:
        "A zip of the profile, conversations, messages, reactions, blocks, reports and uploaded files. While one is being made, asking again returns it.",
      responses: ok(202, "Queued", ref("DataExport")),
    },
  },
  "/api/v1/users/me/exports/{id}": {
    get: {
      summary: "An export's state and, when ready, its download link",
      responses: { ...ok(200, "Export", ref("DataExport")), ...errors(400, 404) },
    },
  },
  "/api/v1/exports/{id}/archive": {
    get: {
      summary: "Download an export (the signed link from DataExport.download_url)",
      description:
        "No token needed: the signature is the credential, until the link expires (404 after).",
      public: true,
      parameters: [
        { name: "expires", in: "query", required: true, schema: { type: "integer" } },
        { name: "signature", in: "query", required: true, schema: { type: "string" } },
      ],
      responses: { ...ok(200, "The zip archive"), ...errors(400, 404) },
    },
  },
  "/api/v1/blocks": {
    get: {
      summary: "The people the caller blocked or muted",
      parameters: page,
      responses: ok(200, "Blocks", ref("BlockPage")),
    },
    post: {
      summary: "Block or mute someone (again: 200, the kind updated)",
      description:
        "Their messages, edits, reactions, typing and presence stop reaching the caller (live, on resume, in sync and search); history marks their messages `sender_blocked`. A block also refuses a direct conversation between the two (403). They are never told.",
      body: {
        type: "object",
        required: ["user_id"],
        properties: {
          user_id: { type: "string", format: "uuid" },
          kind: { enum: ["block", "mute"] },
        },
      },
      responses: {
        ...ok(201, "Blocked", ref("Block")),
        ...ok(200, "Already so", ref("Block")),
        ...errors(400, 404),
      },
    },
  },
  "/api/v1/blocks/{userId}": {
    delete: {
      summary: "Unblock",
      responses: { ...ok(204, "Unblocked"), ...errors(400, 404) },
    },
  },
  "/api/v1/messages/{id}/report": {
    post: {
      summary: "Report a message to the service admins",
      description:
        "The report keeps the message as it is now; report.created goes to webhooks and JetStream (without the text). Members only (404 otherwise); rate_limits.reports_per_hour per user.",
      body: {
        type: "object",
        required: ["reason"],
        properties: {
          reason: { enum: [...REPORT_REASONS] },
          note: { type: "string", minLength: 1, maxLength: 1000 },
        },
      },
      responses: { ...ok(201, "Reported", ref("Report")), ...errors(400, 404) },
    },
  },
  "/api/v1/conversations/{id}/retention": {
    get: { ...retention, summary: "A conversation's retention period (members)" },
    put: {
      ...retention,
      summary: "Set a conversation's own retention period (null: only the global one)",
      description:
        "Groups: owner or admin (403 otherwise); direct: either member. The global retention.messages still applies: a conversation can only shorten it.",
      body: {
        type: "object",
        required: ["retention_days"],
        properties: {
          retention_days: { type: ["integer", "null"], minimum: 1, maximum: 36500 },
        },
      },
      responses: { ...retention.responses, ...errors(403) },
    },
  },
  "/api/v1/admin/reports": {
    get: {
      summary: "Reports, newest first",
      description: ADMIN,
      parameters: [
        { name: "status", in: "query", schema: { enum: ["open", "resolved"] } },
        ...page,
      ],
      responses: { ...ok(200, "Reports", ref("AdminReportPage")), ...errors(400, 403) },
    },
  },
  "/api/v1/admin/reports/{id}": {
    get: {
      summary: "A report with the message as it was",
      description: ADMIN,
      responses: { ...ok(200, "Report", ref("AdminReport")), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/admin/reports/{id}/resolve": {
    post: {
      summary: "Resolve a report (audited; report.resolved)",
      description: `${ADMIN} A report is resolved once (409 after). Delete the message or suspend the user with their own operations.`,
      body: {
        type: "object",
        required: ["resolution"],
        properties: {
          resolution: { enum: [...REPORT_RESOLUTIONS] },
          note: { type: "string", minLength: 1, maxLength: 1000 },
        },
      },
      responses: { ...ok(200, "Resolved", ref("AdminReport")), ...errors(400, 403, 404, 409) },
    },
  },
  "/api/v1/admin/users/{id}": {
    delete: {
      summary: "Delete a user's account (audited); see DELETE /users/me",
      description: `${ADMIN} Not oneself (use DELETE /users/me), not a bot (revoke its key). Deleting again answers 204.`,
      responses: { ...ok(204, "Deleted"), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/users/me": {
    delete: {
      summary: "Delete one's own account (the password required when the account has one)",
      description:
        "At once: the profile is emptied, every token refused and every connection closed (user.deleted). In the background: memberships left (ownership handed over), messages erased or kept per accounts.deleted_messages, files, reactions, receipts, exports and the broker's copies removed (docs/privacy.md).",
      body: { type: "object", properties: { password: { type: "string", maxLength: 256 } } },
      responses: { ...ok(204, "Deleted"), ...errors(400, 403) },
    },
  },
  // Last: fuzzing it ends the session the other operations are fuzzed with.
  "/api/v1/auth/logout-all": {
    post: {
      summary: "Sign out everywhere",
      description:
        "Every token of the caller issued before now (the caller's included, and tokens minted elsewhere with the shared secret) is refused on every node, every refresh token goes, and open connections get user.sessions_revoked and are closed.",
      responses: ok(204, "Signed out everywhere"),
    },
  },
};
