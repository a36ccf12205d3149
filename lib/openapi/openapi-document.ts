import { loginSchema, registerSchema, userSearchSchema } from "../domain/users/user-schemas";
import { SCHEMAS } from "./components";
import { joiToJsonSchema, joiToQueryParameters } from "./joi-to-json-schema";

import { Json, Operation, errors, ok, operation, page, ref, uuidList } from "./operation-helpers";
import { INTEGRATION_OPERATIONS } from "./integration-operations";
import { INTEGRATION_SCHEMAS } from "./integration-components";
import { ACCOUNT_OPERATIONS } from "./account-operations";
import { ACCOUNT_SCHEMAS } from "./account-components";
import { NOTIFICATION_OPERATIONS } from "./notification-operations";
import { NOTIFICATION_SCHEMAS } from "./notification-components";
import { PUSH_OPERATIONS, PUSH_SCHEMAS } from "./push-openapi";

/** Every REST route of the service: method → path → operation. A test checks it against the router. */
const OPERATIONS: Record<string, Record<string, Operation>> = {
  ...INTEGRATION_OPERATIONS,
  ...PUSH_OPERATIONS,
  "/api/v1/auth/register": {
    post: {
      summary: "Register",
      public: true,
      body: joiToJsonSchema(registerSchema),
      responses: { ...ok(201, "Created", ref("AuthResult")), ...errors(400, 409) },
    },
  },
  "/api/v1/auth/login": {
    post: {
      summary: "Log in",
      public: true,
      body: joiToJsonSchema(loginSchema),
      responses: { ...ok(200, "Logged in", ref("AuthResult")), ...errors(400, 401) },
    },
  },
  "/api/v1/users/me": { get: { summary: "The caller", responses: ok(200, "User", ref("User")) } },
  "/api/v1/users": {
    get: {
      summary: "Find users by username or display-name prefix",
      parameters: joiToQueryParameters(userSearchSchema),
      responses: ok(200, "Users", ref("UserPage")),
    },
  },
  "/api/v1/users/online": {
    get: {
      summary: "Users online now",
      parameters: page,
      responses: ok(200, "Presence list", ref("PresencePage")),
    },
  },
  "/api/v1/users/{id}": {
    get: { summary: "A user", responses: { ...ok(200, "User", ref("User")), ...errors(400, 404) } },
  },
  "/api/v1/users/{id}/presence": {
    get: {
      summary: "A user's presence",
      responses: { ...ok(200, "Presence", ref("Presence")), ...errors(400, 404) },
    },
  },
  "/api/v1/conversations": {
    post: {
      summary: "Create a conversation (direct: one per pair, an existing one is returned with 200)",
      body: {
        type: "object",
        required: ["type"],
        description:
          "direct: member_ids names exactly one other user, no name or description. An unknown user id is a 400.",
        properties: {
          type: { enum: ["direct", "group"] },
          member_ids: { ...uuidList, maxItems: 500 },
          name: { type: ["string", "null"], minLength: 1, maxLength: 100 },
          description: { type: ["string", "null"], maxLength: 1000 },
          metadata: { type: "object", description: "At most 8192 bytes of JSON" },
        },
      },
      responses: {
        ...ok(201, "Created", ref("Conversation")),
        ...ok(200, "Existing direct conversation", ref("Conversation")),
        ...errors(400),
      },
    },
    get: {
      summary: "The caller's conversations, most recent activity first",
      parameters: page,
      responses: ok(200, "Conversations", ref("ConversationPage")),
    },
  },
  "/api/v1/conversations/{id}": {
    get: {
      summary: "A conversation",
      responses: { ...ok(200, "Conversation", ref("Conversation")), ...errors(400, 404) },
    },
    put: {
      summary: "Update a group (owner or admin)",
      body: {
        type: "object",
        properties: {
          name: { type: "string" },
          description: { type: "string" },
          metadata: { type: "object" },
        },
      },
      responses: { ...ok(200, "Updated", ref("Conversation")), ...errors(400, 403, 404) },
    },
    delete: {
      summary: "Delete (owner)",
      responses: { ...ok(204, "Deleted"), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/conversations/{id}/members": {
    post: {
      summary: "Add a member (owner or admin)",
      body: {
        type: "object",
        required: ["user_id"],
        properties: {
          user_id: { type: "string", format: "uuid" },
          role: { enum: ["admin", "member"] },
        },
      },
      responses: { ...ok(201, "Added", ref("Member")), ...errors(400, 403, 404, 409) },
    },
  },
  "/api/v1/conversations/{id}/members/{userId}": {
    delete: {
      summary: "Remove a member, or leave",
      responses: { ...ok(204, "Removed"), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/conversations/{id}/messages": {
    post: {
      summary: "Send a message (a retried client_msg_id returns the first message with 200)",
      description:
        "Attachments are ids of the caller's own files (any other id: 404). A reply to a reply joins the root's thread. A client_msg_id is unique per sender: reusing one in another conversation is 409. With moderation configured (docs/integrations.md): 422 rejected with the reason, or 503 when the hook fails closed; the content may come back replaced.",
      body: {
        type: "object",
        required: ["content"],
        properties: {
          content: { type: "string", minLength: 1, maxLength: 4000 },
          metadata: { type: "object" },
          parent_id: { type: "string", format: "uuid" },
          attachments: uuidList,
          client_msg_id: { type: "string", minLength: 1, maxLength: 64 },
        },
      },
      responses: {
        ...ok(201, "Sent", ref("Message")),
        ...ok(200, "Already sent", ref("Message")),
        ...errors(400, 404, 409, 422, 503),
      },
    },
    get: {
      summary: "History: newest first, or oldest first after ?after_seq=",
      parameters: [
        ...page,
        { name: "after_seq", in: "query", schema: { type: "integer", minimum: 0 } },
      ],
      responses: { ...ok(200, "Messages", ref("MessagePage")), ...errors(400, 404) },
    },
  },
  "/api/v1/messages/{id}": {
    get: {
      summary: "A message",
      responses: { ...ok(200, "Message", ref("Message")), ...errors(400, 404) },
    },
    put: {
      summary: "Edit (sender only)",
      body: {
        type: "object",
        required: ["content"],
        properties: { content: { type: "string", minLength: 1, maxLength: 4000 } },
      },
      description:
        "Another member gets 403; a deleted message 409. The previous text goes to /edits. With moderation configured: 422 rejected, or 503 when the hook fails closed.",
      responses: { ...ok(200, "Edited", ref("Message")), ...errors(400, 403, 404, 409, 422, 503) },
    },
    delete: {
      summary: "Delete (sender, owner or admin): leaves a tombstone",
      description:
        "In a direct conversation only the sender may delete. Deleting again answers 204. The tombstone loses its content, metadata, edit history, attachments and reactions.",
      responses: { ...ok(204, "Deleted"), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/messages/{id}/replies": {
    get: {
      summary: "The thread under a message, oldest first",
      parameters: page,
      responses: { ...ok(200, "Replies", ref("MessagePage")), ...errors(400, 404) },
    },
  },
  "/api/v1/messages/{id}/edits": {
    get: {
      summary: "Earlier versions of a message",
      responses: {
        ...ok(200, "Edits", {
          type: "object",
          properties: { data: { type: "array", items: ref("Edit") } },
        }),
        ...errors(400, 404),
      },
    },
  },
  "/api/v1/messages/{id}/reactions": {
    post: {
      summary: "React (again by the same user: 200, no duplicate)",
      description:
        "One emoji grapheme or a :short_code: of [a-z0-9_+-]{1,64}. A 51st distinct emoji, or any reaction on a deleted message, is 409.",
      body: { type: "object", required: ["emoji"], properties: { emoji: { type: "string" } } },
      responses: {
        ...ok(201, "Added", ref("Message")),
        ...ok(200, "Already there", ref("Message")),
        ...errors(400, 404, 409),
      },
    },
  },
  "/api/v1/messages/{id}/reactions/{emoji}": {
    delete: {
      summary: "Remove a reaction (emoji URL-encoded)",
      description: "Removing a reaction that is not there also answers 204.",
      responses: { ...ok(204, "Removed"), ...errors(400, 404) },
    },
  },
  "/api/v1/messages/{id}/read": {
    post: {
      summary: "Mark read up to this message",
      responses: { ...ok(200, "Read pointer", ref("ReadPointer")), ...errors(400, 404) },
    },
  },
  "/api/v1/messages/{id}/receipts": {
    get: {
      summary: "Who has read it (or, with view=status, sent/delivered/read)",
      description:
        "Derived from the read pointers: every member but the sender whose pointer reached the message (members who turned read receipts off are left out for others). With `view=status`: the message's state sent → delivered → read, per member in a direct conversation, as counts in a group.",
      parameters: [{ name: "view", in: "query", schema: { type: "string", enum: ["status"] } }],
      responses: {
        ...ok(200, "Receipts (with view=status: a ReceiptStatus)", {
          oneOf: [{ type: "array", items: ref("Receipt") }, ref("ReceiptStatus")],
        }),
        ...errors(400, 404),
      },
    },
  },
  "/api/v1/search/messages": {
    get: {
      summary: 'Full-text search: words (prefixes match), "phrases", -exclusions, or',
      description:
        "Live messages of the caller's conversations only. Hits are ordered by relevance " +
        "(ts_rank over all matches), then newest first; `next_cursor` resumes after the last " +
        "hit, so paging visits every hit exactly once. `highlight` marks matches with " +
        "\\u0002 and \\u0003. The cost grows with the number of messages in the caller's " +
        "conversations, not with the table.",
      parameters: [
        {
          name: "q",
          in: "query",
          description:
            "Required unless `mentions` is given (then optional: every mention, newest first)",
          schema: { type: "string" },
        },
        {
          name: "mentions",
          in: "query",
          description: "`me`: only messages that mention the caller",
          schema: { type: "string", enum: ["me"] },
        },
        { name: "conversation_id", in: "query", schema: { type: "string", format: "uuid" } },
        { name: "sender_id", in: "query", schema: { type: "string", format: "uuid" } },
        { name: "after", in: "query", schema: { type: "string", format: "date-time" } },
        { name: "before", in: "query", schema: { type: "string", format: "date-time" } },
        ...page,
      ],
      responses: { ...ok(200, "Hits", ref("SearchHitPage")), ...errors(400, 404) },
    },
  },
  "/api/v1/search/conversations": {
    get: {
      summary: "Conversations by name, description or the other member's name",
      parameters: [{ name: "q", in: "query", required: true, schema: { type: "string" } }, ...page],
      responses: { ...ok(200, "Conversations", ref("ConversationPage")), ...errors(400) },
    },
  },
  "/api/v1/files": {
    post: {
      summary: "Upload (multipart field `file`); the type is sniffed from the bytes",
      body: undefined,
      responses: { ...ok(201, "Stored", ref("File")), ...errors(400, 413, 415) },
    },
  },
  "/api/v1/files/{id}": {
    get: {
      summary: "Download (uploader, or members of a conversation that attaches it)",
      responses: { ...ok(200, "The bytes, as an attachment"), ...errors(400, 404) },
    },
    delete: {
      summary: "Delete (uploader)",
      responses: { ...ok(204, "Deleted"), ...errors(400, 404) },
    },
  },
  "/api/v1/sync": {
    get: {
      summary: "The caller's events after a cursor, oldest first",
      parameters: [
        { name: "since", in: "query", schema: { type: "string" } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000 } },
      ],
      responses: { ...ok(200, "Events", ref("SyncPage")), ...errors(400, 410) },
    },
  },
  "/api/v1/openapi.json": {
    get: { summary: "This document", public: true, responses: ok(200, "OpenAPI 3.1") },
  },
  "/api/v1/asyncapi.json": {
    get: {
      summary: "The realtime protocol (Socket.IO and /ws) as an AsyncAPI 3 document",
      public: true,
      responses: ok(200, "AsyncAPI 3.0"),
    },
  },
  "/healthz": { get: { summary: "Alive", public: true, responses: ok(200, "Alive") } },
  "/readyz": {
    get: {
      summary: "Database, Redis and NATS reachable",
      public: true,
      responses: { ...ok(200, "Ready"), ...ok(503, "Not ready") },
    },
  },
  "/metrics": {
    get: { summary: "Prometheus metrics", public: true, responses: ok(200, "Prometheus text") },
  },
};

// Account routes after the rest (sign out everywhere last); paths shared with another
// table are merged.
for (const [path, operations] of Object.entries({
  ...NOTIFICATION_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
})) {
  OPERATIONS[path] = { ...OPERATIONS[path], ...operations };
}

const MULTIPART_UPLOAD = {
  required: true,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object",
        required: ["file"],
        properties: { file: { type: "string", format: "binary" } },
      },
    },
  },
};

/** The OpenAPI 3.1 document served at /api/v1/openapi.json. */
export function buildOpenApiDocument(): Json {
  const paths = Object.fromEntries(
    Object.entries(OPERATIONS).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, spec]) => [method, operation(spec, path)]),
      ),
    ]),
  );
  (paths["/api/v1/files"] as Json).post = {
    ...((paths["/api/v1/files"] as Json).post as Json),
    requestBody: MULTIPART_UPLOAD,
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Messaging service",
      version: "1",
      description:
        "REST API. The realtime protocol (Socket.IO and raw /ws) is the AsyncAPI document at /api/v1/asyncapi.json (and docs/protocol.md).",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "A JWT, or an API key (mk_…) created by an admin",
        },
      },
      schemas: {
        ...SCHEMAS,
        ...INTEGRATION_SCHEMAS,
        ...ACCOUNT_SCHEMAS,
        ...NOTIFICATION_SCHEMAS,
        ...PUSH_SCHEMAS,
      },
    },
    paths,
  };
}

/** "METHOD /path/{param}" for every documented operation. */
export function documentedRoutes(): string[] {
  return Object.entries(OPERATIONS).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
