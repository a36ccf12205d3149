/**
 * GENERATED from the OpenAPI document (lib/openapi/) and the protocol catalog's frame
 * schemas (sockets/protocol-schemas.ts) by `npx tsx scripts/generate-client-types.ts`.
 * Do not edit: test/unit/client-types.test.ts fails when this file and the service differ.
 */
export interface paths {
  "/api/v1/admin/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every user and bot, by username
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: {
          q?: string;
          kind?: "user" | "bot";
          suspended?: boolean;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Users */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminUserPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/users/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A user as admins see it
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description User */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminUser"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /**
     * Delete a user's account (audited); see DELETE /users/me
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. Not oneself (use DELETE /users/me), not a bot (revoke its key). Deleting again answers 204.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/users/{id}/suspend": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Suspend: tokens refused, open connections closed, on every node
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. Suspending again changes nothing; an admin cannot suspend themselves.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Suspended */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminUser"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/users/{id}/restore": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Lift a suspension
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Restored */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminUser"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/users/{id}/admin": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Grant the service-admin role
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. Bots cannot be admins.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Granted */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminUser"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    /**
     * Revoke a granted service-admin role
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. A role given by admin.users cannot be revoked here (403).
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminUser"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/messages/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Delete any message (tombstone, message.deleted to its members)
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. Deleting again answers 204.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Counts: users, bots, conversations, messages, files, keys, webhooks
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Usage */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Usage"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/audit-log": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Admin actions, newest first
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: {
          action?: string;
          actor_user_id?: string;
          actor_key_id?: string;
          target_id?: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Entries */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuditRecordPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/api-keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * API keys, newest first
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Keys */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ApiKeyPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    /**
     * Create an API key (the key is in this answer only)
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. Stored as a hash; use it as `Authorization: Bearer mk_…`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name: string;
            scopes: ("read" | "write" | "admin" | "webhooks")[];
            conversation_ids?: string[];
          };
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["CreatedApiKey"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/api-keys/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An API key
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Key */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ApiKey"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /**
     * Revoke at once (its bot's connections are closed)
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. Revoking again answers 204.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Revoked */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Subscriptions
     * @description Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404).
     */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Subscriptions */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SubscriptionPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    /**
     * Subscribe an endpoint (the signing secret is in this answer only)
     * @description Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404). Deliveries start with the events after this moment.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uri */
            url: string;
            /** @description Wire types of docs/events.md; `*` is every one */
            event_types: (
              | "*"
              | "message.new"
              | "message.updated"
              | "message.deleted"
              | "reaction.added"
              | "reaction.removed"
              | "message.read"
              | "conversation.created"
              | "conversation.updated"
              | "conversation.deleted"
              | "member.added"
              | "member.removed"
              | "user.suspended"
              | "user.restored"
              | "api_key.revoked"
              | "user.sessions_revoked"
              | "user.deleted"
              | "block.added"
              | "block.removed"
              | "report.created"
              | "report.resolved"
              | "notifications.updated"
              | "read_state.updated"
              | "message.delivered"
            )[];
            /** @description Only these conversations' events */
            conversation_ids?: string[];
            /**
             * Format: uuid
             * @description Only events this user receives (a key: its own bot)
             */
            user_id?: string;
            description?: string;
          };
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["CreatedSubscription"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A subscription, with its cursor, pending retries and failure count
     * @description Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404).
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Subscription */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Subscription"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    /**
     * Change a subscription; `enabled: true` re-enables a disabled one
     * @description Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404).
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uri */
            url?: string;
            /** @description Wire types of docs/events.md; `*` is every one */
            event_types?: (
              | "*"
              | "message.new"
              | "message.updated"
              | "message.deleted"
              | "reaction.added"
              | "reaction.removed"
              | "message.read"
              | "conversation.created"
              | "conversation.updated"
              | "conversation.deleted"
              | "member.added"
              | "member.removed"
              | "user.suspended"
              | "user.restored"
              | "api_key.revoked"
              | "user.sessions_revoked"
              | "user.deleted"
              | "block.added"
              | "block.removed"
              | "report.created"
              | "report.resolved"
              | "notifications.updated"
              | "read_state.updated"
              | "message.delivered"
            )[];
            /** @description Only these conversations' events */
            conversation_ids?: string[];
            /**
             * Format: uuid
             * @description Only events this user receives (a key: its own bot)
             */
            user_id?: string;
            description?: string;
            enabled?: boolean;
          };
        };
      };
      responses: {
        /** @description Updated */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Subscription"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    /**
     * Unsubscribe
     * @description Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404).
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/{id}/dead-letters": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Events that failed every try, oldest first
     * @description Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404).
     */
    get: {
      parameters: {
        query?: {
          pending?: boolean;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Dead letters */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DeadLetterPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/{id}/dead-letters/{letterId}/replay": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a dead letter again, now
     * @description Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404). Same body and webhook-id, signed anew; works on a disabled endpoint too.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          letterId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Outcome */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ReplayOutcome"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/bots": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create the calling key's bot (one per key)
     * @description An API key with the `read` or `write` scope; requests made with the key act as its bot.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            username: string;
            display_name?: string;
          };
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["User"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/bots/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The calling key's bot
     * @description An API key with the `read` or `write` scope; requests made with the key act as its bot.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Bot */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["User"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/bots/me/commands": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The bot's slash commands
     * @description An API key with the `read` or `write` scope; requests made with the key act as its bot.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Commands */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SubscriptionPage"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/bots/me/commands/{name}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Register `/name` (201 with its signing secret) or change its URL (200)
     * @description An API key with the `read` or `write` scope; requests made with the key act as its bot. Names are unique across the service (another bot's: 409).
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uri */
            url: string;
            description?: string;
          };
        };
      };
      responses: {
        /** @description Changed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Subscription"];
          };
        };
        /** @description Registered */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["CreatedSubscription"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    /**
     * Unregister a command
     * @description An API key with the `read` or `write` scope; requests made with the key act as its bot.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          name: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/push/devices": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's push devices */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Devices */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PushDevicePage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    /**
     * Register a device for push notifications
     * @description The same endpoint (or app_id and pushkey) registered again is the same device: 200, taken over by the caller when another user had it. At most 50 devices per user (409).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json":
            | {
                /** @constant */
                kind: "webpush";
                /**
                 * Format: uri
                 * @description https (http too with push.allow_http)
                 */
                endpoint: string;
                keys: {
                  /** @description The subscription's P-256 public key, uncompressed (65 bytes) */
                  p256dh: string;
                  /** @description The subscription's auth secret (16 bytes) */
                  auth: string;
                };
                description?: string;
              }
            | {
                /** @constant */
                kind: "gateway";
                /**
                 * Format: uri
                 * @description The gateway's notify URL
                 */
                gateway_url: string;
                app_id: string;
                pushkey: string;
                /** @description Sent to the gateway as devices[].data (≤ 4 KiB) */
                data?: Record<string, unknown>;
                description?: string;
              };
        };
      };
      responses: {
        /** @description Registered before */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PushDevice"];
          };
        };
        /** @description Registered */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PushDevice"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/push/devices/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a push device
     * @description A device is its owner's alone: anyone else gets 404.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Removed */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/push/vapid-public-key": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The VAPID public key browsers subscribe with (applicationServerKey) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Key */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description Uncompressed P-256 public key (65 bytes) */
              vapid_public_key: string;
            };
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/register": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Register */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            username: string;
            password: string;
            display_name?: string;
            /** @default false */
            refresh_token?: boolean;
          };
        };
      };
      responses: {
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuthResult"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/login": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log in */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            username: string;
            password: string;
            /** @default false */
            refresh_token?: boolean;
          };
        };
      };
      responses: {
        /** @description Logged in */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuthResult"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description User */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["User"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /**
     * Delete one's own account (the password required when the account has one)
     * @description At once: the profile is emptied, every token refused and every connection closed (user.deleted). In the background: memberships left (ownership handed over), messages erased or kept per accounts.deleted_messages, files, reactions, receipts, exports and the broker's copies removed (docs/privacy.md).
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            password?: string;
          };
        };
      };
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Find users by username or display-name prefix */
    get: {
      parameters: {
        query?: {
          q?: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Users */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["UserPage"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/online": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users online now */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Presence list */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["PresencePage"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description User */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["User"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/{id}/presence": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's presence */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Presence */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Presence"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's conversations, most recent activity first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Conversations */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ConversationPage"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    /** Create a conversation (direct: one per pair, an existing one is returned with 200) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {unknown} */
            type: "direct" | "group";
            member_ids?: string[];
            name?: string | null;
            description?: string | null;
            /** @description At most 8192 bytes of JSON */
            metadata?: Record<string, unknown>;
          };
        };
      };
      responses: {
        /** @description Existing direct conversation */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Conversation"];
          };
        };
        /** @description Created */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Conversation"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Conversation */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Conversation"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    /** Update a group (owner or admin) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name?: string;
            description?: string;
            metadata?: Record<string, unknown>;
          };
        };
      };
      responses: {
        /** @description Updated */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Conversation"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    /** Delete (owner) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/members": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add a member (owner or admin) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uuid */
            user_id: string;
            /** @enum {unknown} */
            role?: "admin" | "member";
          };
        };
      };
      responses: {
        /** @description Added */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Member"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/members/{userId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a member, or leave */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Removed */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/messages": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** History: newest first, or oldest first after ?after_seq= */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
          after_seq?: number;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Messages */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["MessagePage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    /**
     * Send a message (a retried client_msg_id returns the first message with 200)
     * @description Attachments are ids of the caller's own files (any other id: 404). A reply to a reply joins the root's thread. A client_msg_id is unique per sender: reusing one in another conversation is 409. With moderation configured (docs/integrations.md): 422 rejected with the reason, or 503 when the hook fails closed; the content may come back replaced.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            content: string;
            metadata?: Record<string, unknown>;
            /** Format: uuid */
            parent_id?: string;
            attachments?: string[];
            client_msg_id?: string;
          };
        };
      };
      responses: {
        /** @description Already sent */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Message"];
          };
        };
        /** @description Sent */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Message"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A message */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Message */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Message"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    /**
     * Edit (sender only)
     * @description Another member gets 403; a deleted message 409. The previous text goes to /edits. With moderation configured: 422 rejected, or 503 when the hook fails closed.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            content: string;
          };
        };
      };
      responses: {
        /** @description Edited */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Message"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        422: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    /**
     * Delete (sender, owner or admin): leaves a tombstone
     * @description In a direct conversation only the sender may delete. Deleting again answers 204. The tombstone loses its content, metadata, edit history, attachments and reactions.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/replies": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The thread under a message, oldest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Replies */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["MessagePage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/edits": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Earlier versions of a message */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Edits */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              data?: components["schemas"]["Edit"][];
            };
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/reactions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * React (again by the same user: 200, no duplicate)
     * @description One emoji grapheme or a :short_code: of [a-z0-9_+-]{1,64}. A 51st distinct emoji, or any reaction on a deleted message, is 409.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            emoji: string;
          };
        };
      };
      responses: {
        /** @description Already there */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Message"];
          };
        };
        /** @description Added */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Message"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/reactions/{emoji}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a reaction (emoji URL-encoded)
     * @description Removing a reaction that is not there also answers 204.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          emoji: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Removed */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/read": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Mark read up to this message */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Read pointer */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ReadPointer"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/receipts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Who has read it (or, with view=status, sent/delivered/read)
     * @description Derived from the read pointers: every member but the sender whose pointer reached the message (members who turned read receipts off are left out for others). With `view=status`: the message's state sent → delivered → read, per member in a direct conversation, as counts in a group.
     */
    get: {
      parameters: {
        query?: {
          view?: "status";
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Receipts (with view=status: a ReceiptStatus) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json":
              components["schemas"]["Receipt"][] | components["schemas"]["ReceiptStatus"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/search/messages": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Full-text search: words (prefixes match), "phrases", -exclusions, or
     * @description Live messages of the caller's conversations only. Hits are ordered by relevance (ts_rank over all matches), then newest first; `next_cursor` resumes after the last hit, so paging visits every hit exactly once. `highlight` marks matches with \u0002 and \u0003. The cost grows with the number of messages in the caller's conversations, not with the table.
     */
    get: {
      parameters: {
        query?: {
          /** @description Required unless `mentions` is given (then optional: every mention, newest first) */
          q?: string;
          /** @description `me`: only messages that mention the caller */
          mentions?: "me";
          conversation_id?: string;
          sender_id?: string;
          after?: string;
          before?: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Hits */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SearchHitPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/search/conversations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Conversations by name, description or the other member's name */
    get: {
      parameters: {
        query: {
          q: string;
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Conversations */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ConversationPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/files": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Upload (multipart field `file`); the type is sniffed from the bytes */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "multipart/form-data": {
            /** Format: binary */
            file: string;
          };
        };
      };
      responses: {
        /** @description Stored */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["File"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/files/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download (uploader, or members of a conversation that attaches it) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The bytes, as an attachment */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete (uploader) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Deleted */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sync": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's events after a cursor, oldest first */
    get: {
      parameters: {
        query?: {
          since?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Events */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["SyncPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        410: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/openapi.json": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description OpenAPI 3.1 */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/asyncapi.json": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The realtime protocol (Socket.IO and /ws) as an AsyncAPI 3 document */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description AsyncAPI 3.0 */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/healthz": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Alive */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Alive */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/readyz": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Database, Redis and NATS reachable */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Ready */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Not ready */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Prometheus text */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/notifications": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set the caller's notification level and/or mute for a conversation
     * @description `level`: all, mentions (mentions and direct messages) or none; null returns to the configured default (notifications.direct_level / group_level). `muted_until`: no notifications until then; null or a past time unmutes. The conversation's caller view carries both; `notifications.updated` reaches the caller's other devices.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            level?: ("all" | "mentions" | "none") | null;
            muted_until?: string | null;
          };
        };
      };
      responses: {
        /** @description Settings */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["NotificationSettings"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/unread": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark a message and everything after it unread
     * @description The one deliberate way the read pointer moves back (to the message's seq − 1; for a reply its thread pointer too). `read_state.updated` with the new counts reaches the caller's other devices.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uuid */
            message_id: string;
          };
        };
      };
      responses: {
        /** @description New read state */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ReadStateChange"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/delivered": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Acknowledge receiving the conversation's messages up to a seq
     * @description Moves the caller's delivered pointer forward (never back; clamped to the newest seq). In a direct conversation both members get `message.delivered`. Also the realtime `message.delivered` frame.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            seq: number;
          };
        };
      };
      responses: {
        /** @description Delivered pointer */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DeliveredPointer"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/threads": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller's threads with unread replies in a conversation
     * @description Newest thread first, at most 100; each with the caller's pointer and counts.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Threads */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ThreadStatePage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/thread-read": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark a thread read through this reply (through its newest reply for the root)
     * @description Moves the caller's pointer in the thread forward; the conversation's pointer stays. Replies read so no longer count in unread_count. `read_state.updated` reaches the caller's other devices.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description New read state */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ReadStateChange"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/me/badges": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller's unread and mention counts
     * @description The total counts conversations that may notify (not muted, level not none); `conversations` lists every conversation with unread messages. Also in GET /sync (`badges`).
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Badges */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Badges"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/me/privacy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's privacy switches */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Privacy */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Privacy"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    /**
     * Show or hide the caller's read receipts
     * @description With read_receipts false, others never see the caller's reads: receipts leave them out, status receipts show delivered, and `message.read` goes to the caller's own devices only.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            read_receipts: boolean;
          };
        };
      };
      responses: {
        /** @description Privacy */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Privacy"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/refresh": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Trade a refresh token for a new token and refresh token (rotation)
     * @description Each refresh token works once. Presenting one that was already used ends its whole session (every refresh token of that login), since one of the two copies was stolen. Rate limited like logins.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            refresh_token: string;
          };
        };
      };
      responses: {
        /** @description New tokens */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuthResult"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/logout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign out of one session (its refresh token)
     * @description The session's refresh tokens stop working; its short-lived token lapses by itself. An unknown token also answers 204.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            refresh_token: string;
          };
        };
      };
      responses: {
        /** @description Signed out */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/password": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Change the password (the current one required); every other session ends
     * @description Every token issued before the change is refused on every node and open connections are closed (user.sessions_revoked); the answer carries new tokens. 403 for a wrong current password or an account without one.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            current_password: string;
            new_password: string;
            refresh_token?: boolean;
          };
        };
      };
      responses: {
        /** @description Changed */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AuthResult"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/me/exports": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Request an export of one's data (made in the background)
     * @description A zip of the profile, conversations, messages, reactions, blocks, reports and uploaded files. While one is being made, asking again returns it.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Queued */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DataExport"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/users/me/exports/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An export's state and, when ready, its download link */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Export */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["DataExport"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/exports/{id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download an export (the signed link from DataExport.download_url)
     * @description No token needed: the signature is the credential, until the link expires (404 after).
     */
    get: {
      parameters: {
        query: {
          expires: number;
          signature: string;
        };
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The zip archive */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/blocks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The people the caller blocked or muted */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Blocks */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["BlockPage"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    /**
     * Block or mute someone (again: 200, the kind updated)
     * @description Their messages, edits, reactions, typing and presence stop reaching the caller (live, on resume, in sync and search); history marks their messages `sender_blocked`. A block also refuses a direct conversation between the two (403). They are never told.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uuid */
            user_id: string;
            /** @enum {unknown} */
            kind?: "block" | "mute";
          };
        };
      };
      responses: {
        /** @description Already so */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Block"];
          };
        };
        /** @description Blocked */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Block"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/blocks/{userId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Unblock */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          userId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Unblocked */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/messages/{id}/report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Report a message to the service admins
     * @description The report keeps the message as it is now; report.created goes to webhooks and JetStream (without the text). Members only (404 otherwise); rate_limits.reports_per_hour per user.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {unknown} */
            reason:
              | "spam"
              | "harassment"
              | "hate"
              | "violence"
              | "sexual"
              | "self_harm"
              | "illegal"
              | "other";
            note?: string;
          };
        };
      };
      responses: {
        /** @description Reported */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Report"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/conversations/{id}/retention": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation's retention period (members) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Retention */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ConversationRetention"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    /**
     * Set a conversation's own retention period (null: only the global one)
     * @description Groups: owner or admin (403 otherwise); direct: either member. The global retention.messages still applies: a conversation can only shorten it.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            retention_days: number | null;
          };
        };
      };
      responses: {
        /** @description Retention */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["ConversationRetention"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/reports": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Reports, newest first
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: {
          status?: "open" | "resolved";
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Reports */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminReportPage"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/reports/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A report with the message as it was
     * @description Service admins (token) or API keys with the `admin` scope; others get 403.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Report */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminReport"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/admin/reports/{id}/resolve": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resolve a report (audited; report.resolved)
     * @description Service admins (token) or API keys with the `admin` scope; others get 403. A report is resolved once (409 after). Delete the message or suspend the user with their own operations.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {unknown} */
            resolution:
              "dismissed" | "message_deleted" | "user_suspended" | "user_deleted" | "other";
            note?: string;
          };
        };
      };
      responses: {
        /** @description Resolved */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["AdminReport"];
          };
        };
        /** @description Error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/auth/logout-all": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign out everywhere
     * @description Every token of the caller issued before now (the caller's included, and tokens minted elsewhere with the shared secret) is refused on every node, every refresh token goes, and open connections get user.sessions_revoked and are closed.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Signed out everywhere */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Error */
        429: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ErrorBody: {
      /** @enum {string} */
      code:
        | "validation_error"
        | "unauthorized"
        | "forbidden"
        | "not_found"
        | "conflict"
        | "resync_required"
        | "payload_too_large"
        | "unsupported_media_type"
        | "rejected"
        | "rate_limited"
        | "internal"
        | "unavailable";
      message: string;
      details?: {
        field: string;
        message: string;
      }[];
    };
    Error: {
      error: components["schemas"]["ErrorBody"];
    };
    User: {
      /** Format: uuid */
      id: string;
      username: string;
      display_name: string;
      /** Format: date-time */
      created_at: string;
      /**
       * @description bot: owned by an API key
       * @enum {string}
       */
      kind: "user" | "bot";
    };
    AuthResult: {
      user: components["schemas"]["User"];
      token: string;
      /** @description Only when the request asked for one (`refresh_token: true`): trade it once at POST /auth/refresh */
      refresh_token?: string;
      /** @description With a refresh token: seconds until `token` expires */
      expires_in?: number;
    };
    Member: {
      /** Format: uuid */
      user_id: string;
      /** @enum {string} */
      role: "owner" | "admin" | "member";
      /** Format: date-time */
      joined_at: string;
      last_read_seq: number;
    };
    File: {
      /** Format: uuid */
      id: string;
      filename: string;
      content_type: string;
      size: number;
      sha256: string;
      /** Format: uuid */
      uploader_id: string;
      /** Format: date-time */
      created_at: string;
      url: string;
    };
    Reaction: {
      emoji: string;
      count: number;
      user_ids: string[];
    };
    Message: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      conversation_id: string;
      /** Format: uuid */
      sender_id: string;
      /** @description Per conversation, from 1, no gaps */
      seq: number;
      content: string | null;
      metadata: Record<string, unknown>;
      parent_id: string | null;
      reply_count: number;
      attachments: components["schemas"]["File"][];
      reactions: components["schemas"]["Reaction"][];
      client_msg_id: string | null;
      /** Format: date-time */
      created_at: string;
      edited_at: string | null;
      deleted_at: string | null;
      /** @description Members the message mentions (`@username`; `@all` in a group by its owner or admins), resolved when sent; never the sender; empty on a tombstone */
      mentions: string[];
      /** @description Only over REST, to a reader who blocked or muted the sender: true (with blocks.history hide, content and attachments are left out too) */
      sender_blocked?: boolean;
    };
    SearchHit: components["schemas"]["Message"] & {
      /** @description Plain text; matches between \u0002 and \u0003 */
      highlight: string;
    };
    Conversation: {
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      type: "direct" | "group";
      name: string | null;
      description: string | null;
      metadata: Record<string, unknown>;
      created_by: string | null;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      last_seq: number;
      /** @description The caller's: messages after their read pointer by others, not deleted, not from someone they blocked, not replies read in their thread */
      unread_count: number;
      /** @description The caller's: how many of the unread messages mention them */
      mention_count: number;
      /**
       * @description The caller's notification level (until they choose one: notifications.direct_level / group_level)
       * @enum {string}
       */
      notification_level: "all" | "mentions" | "none";
      /** @description The caller's mute: notifications are off until then; null when not muted */
      muted_until: string | null;
      last_message: components["schemas"]["Message"] | null;
      members: components["schemas"]["Member"][];
    };
    Presence: {
      /** Format: uuid */
      user_id: string;
      /** @enum {string} */
      status: "online" | "away" | "busy" | "offline";
      last_seen_at: string | null;
    };
    ReadPointer: {
      /** Format: uuid */
      conversation_id: string;
      last_read_seq: number;
    };
    Receipt: {
      /** Format: uuid */
      user_id: string;
      /** Format: date-time */
      read_at: string;
    };
    Edit: {
      content: string;
      /** Format: date-time */
      edited_at: string;
    };
    SyncPage: {
      data: Record<string, unknown>[];
      next_cursor: string;
      has_more: boolean;
      /** @description On the page that catches up (has_more false): the caller's badges, counting exactly the events up to `badges.cursor`; events after it change them as they arrive */
      badges?: components["schemas"]["Badges"] & {
        /** @description The position the counts hold at */
        cursor: string;
      };
    };
    UserPage: {
      data: components["schemas"]["User"][];
      next_cursor: string | null;
    };
    ConversationPage: {
      data: components["schemas"]["Conversation"][];
      next_cursor: string | null;
    };
    MessagePage: {
      data: components["schemas"]["Message"][];
      next_cursor: string | null;
    };
    SearchHitPage: {
      data: components["schemas"]["SearchHit"][];
      next_cursor: string | null;
    };
    PresencePage: {
      data: components["schemas"]["Presence"][];
      next_cursor: string | null;
    };
    AdminUser: {
      /** Format: uuid */
      id: string;
      username: string;
      display_name: string;
      /** Format: date-time */
      created_at: string;
      /** @enum {unknown} */
      kind: "user" | "bot";
      is_admin: boolean;
      admin_by_config: boolean;
      suspended_at: string | null;
      suspended_reason: string | null;
      owner_key_id: string | null;
    };
    AuditRecord: {
      /** Format: uuid */
      id: string;
      actor: {
        user_id: string | null;
        api_key_id: string | null;
      };
      /** @description e.g. user.suspend, api_key.create, webhook.disable */
      action: string;
      target_type: string | null;
      target_id: string | null;
      details: Record<string, unknown>;
      /** Format: date-time */
      created_at: string;
    };
    Usage: {
      [key: string]: number;
    };
    ApiKey: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @description The key's first characters */
      prefix: string;
      scopes: string[];
      conversation_ids: string[] | null;
      bot_user_id: string | null;
      created_by: {
        user_id: string | null;
        api_key_id: string | null;
      };
      /** Format: date-time */
      created_at: string;
      last_used_at: string | null;
      revoked_at: string | null;
    };
    CreatedApiKey: {
      api_key: components["schemas"]["ApiKey"];
      /** @description mk_…: shown this once */
      key: string;
    };
    Subscription: {
      /** Format: uuid */
      id: string;
      /** @enum {unknown} */
      kind: "events" | "command";
      url: string;
      description: string | null;
      event_types: string[];
      conversation_ids: string[] | null;
      user_id: string | null;
      command: string | null;
      owner_key_id: string | null;
      created_by_user_id: string | null;
      enabled: boolean;
      disabled_at: string | null;
      disabled_reason: string | null;
      /** @description The newest event handled (a sync cursor) */
      cursor: string;
      /** @description Failed tries of the next event so far */
      attempts: number;
      /** Format: date-time */
      next_attempt_at: string;
      last_error: string | null;
      /** @description Dead letters in a row */
      consecutive_failures: number;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
    };
    CreatedSubscription: {
      /** Format: uuid */
      id: string;
      /** @enum {unknown} */
      kind: "events" | "command";
      url: string;
      description: string | null;
      event_types: string[];
      conversation_ids: string[] | null;
      user_id: string | null;
      command: string | null;
      owner_key_id: string | null;
      created_by_user_id: string | null;
      enabled: boolean;
      disabled_at: string | null;
      disabled_reason: string | null;
      /** @description The newest event handled (a sync cursor) */
      cursor: string;
      /** @description Failed tries of the next event so far */
      attempts: number;
      /** Format: date-time */
      next_attempt_at: string;
      last_error: string | null;
      /** @description Dead letters in a row */
      consecutive_failures: number;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      /** @description whsec_…: shown this once */
      secret: string;
    };
    DeadLetter: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      subscription_id: string;
      /** Format: uuid */
      event_id: string;
      event_type: string;
      cursor: string;
      /** @description The JSON body as it was sent */
      body: string;
      attempts: number;
      last_error: string | null;
      /** Format: date-time */
      created_at: string;
      replayed_at: string | null;
    };
    ReplayOutcome: {
      delivered: boolean;
      status: number | null;
      error: string | null;
      dead_letter: components["schemas"]["DeadLetter"];
    };
    AdminUserPage: {
      data: components["schemas"]["AdminUser"][];
      next_cursor: string | null;
    };
    AuditRecordPage: {
      data: components["schemas"]["AuditRecord"][];
      next_cursor: string | null;
    };
    ApiKeyPage: {
      data: components["schemas"]["ApiKey"][];
      next_cursor: string | null;
    };
    SubscriptionPage: {
      data: components["schemas"]["Subscription"][];
      next_cursor: string | null;
    };
    DeadLetterPage: {
      data: components["schemas"]["DeadLetter"][];
      next_cursor: string | null;
    };
    Block: {
      /**
       * Format: uuid
       * @description The blocker (the caller)
       */
      user_id: string;
      /** Format: uuid */
      blocked_user_id: string;
      /**
       * @description block: also no new direct conversation between the two; mute: delivery only
       * @enum {unknown}
       */
      kind: "block" | "mute";
      /** Format: date-time */
      created_at: string;
    };
    BlockPage: {
      data: components["schemas"]["Block"][];
      next_cursor: string | null;
    };
    Report: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      message_id: string;
      /** Format: uuid */
      conversation_id: string;
      /** Format: uuid */
      sender_id: string;
      /** Format: uuid */
      reporter_id: string;
      /** @enum {unknown} */
      reason:
        "spam" | "harassment" | "hate" | "violence" | "sexual" | "self_harm" | "illegal" | "other";
      note: string | null;
      /** @enum {unknown} */
      status: "open" | "resolved";
      /** Format: date-time */
      created_at: string;
    };
    AdminReport: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      message_id: string;
      /** Format: uuid */
      conversation_id: string;
      /** Format: uuid */
      sender_id: string;
      /** Format: uuid */
      reporter_id: string;
      /** @enum {unknown} */
      reason:
        "spam" | "harassment" | "hate" | "violence" | "sexual" | "self_harm" | "illegal" | "other";
      note: string | null;
      /** @enum {unknown} */
      status: "open" | "resolved";
      /** Format: date-time */
      created_at: string;
      /** @description The message as it was when reported */
      message: components["schemas"]["Message"];
      resolution:
        ("dismissed" | "message_deleted" | "user_suspended" | "user_deleted" | "other") | null;
      resolution_note: string | null;
      resolved_by: {
        user_id: string | null;
        api_key_id: string | null;
      } | null;
      resolved_at: string | null;
    };
    AdminReportPage: {
      data: components["schemas"]["AdminReport"][];
      next_cursor: string | null;
    };
    DataExport: {
      /** Format: uuid */
      id: string;
      /** @enum {unknown} */
      status: "pending" | "ready" | "failed" | "expired";
      /** Format: date-time */
      created_at: string;
      completed_at: string | null;
      expires_at: string | null;
      size: number | null;
      download_url: string | null;
    };
    ConversationRetention: {
      /** Format: uuid */
      conversation_id: string;
      retention_days: number | null;
      effective_days: number | null;
    };
    NotificationSettings: {
      /** Format: uuid */
      conversation_id: string;
      /** @enum {string} */
      notification_level: "all" | "mentions" | "none";
      muted_until: string | null;
    };
    ConversationBadge: {
      /** Format: uuid */
      conversation_id: string;
      unread_count: number;
      mention_count: number;
    };
    Badges: {
      unread_count: number;
      mention_count: number;
      /** @description Every conversation with unread messages, muted ones included */
      conversations: components["schemas"]["ConversationBadge"][];
    };
    ReadStateChange: {
      /** Format: uuid */
      conversation_id: string;
      /** Format: uuid */
      user_id: string;
      last_read_seq: number;
      thread_id: string | null;
      thread_last_read_seq: number | null;
      thread_unread_count: number | null;
      unread_count: number;
      mention_count: number;
    };
    ThreadState: {
      /** Format: uuid */
      thread_id: string;
      /** @description The caller's pointer in the thread */
      last_read_seq: number;
      unread_count: number;
      mention_count: number;
    };
    ThreadStatePage: {
      data: components["schemas"]["ThreadState"][];
      next_cursor: null;
    };
    DeliveredPointer: {
      /** Format: uuid */
      conversation_id: string;
      delivered_seq: number;
    };
    Privacy: {
      /** @description false: nobody else sees the caller's reads (they show as delivered) */
      read_receipts: boolean;
    };
    MemberReceiptStatus: {
      /** Format: uuid */
      user_id: string;
      /** @enum {string} */
      status: "sent" | "delivered" | "read";
      delivered_at: string | null;
      read_at: string | null;
    };
    ReceiptStatus: {
      /** Format: uuid */
      message_id: string;
      /** @enum {string} */
      conversation_type: "direct" | "group";
      /**
       * @description delivered: every recipient's client has it; read: every recipient read it
       * @enum {string}
       */
      status: "sent" | "delivered" | "read";
      /** @description Direct conversations: the other member */
      members?: components["schemas"]["MemberReceiptStatus"][];
      /** @description Groups */
      counts?: {
        recipients: number;
        /** @description Delivered or read */
        delivered: number;
        read: number;
      };
    };
    PushDevice: {
      /** Format: uuid */
      id: string;
      /** @enum {unknown} */
      kind: "webpush" | "gateway";
      description: string | null;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      /** @description webpush only */
      endpoint?: string;
      /** @description gateway only */
      gateway_url?: string;
      /** @description gateway only */
      app_id?: string;
      /** @description gateway only */
      pushkey?: string;
      /** @description gateway only */
      data?: Record<string, unknown>;
    };
    PushDevicePage: {
      data: components["schemas"]["PushDevice"][];
      next_cursor: string | null;
    };
    ReadyEvent: {
      /** @constant */
      type: "ready";
      data: {
        /** Format: uuid */
        user_id: string;
        connection_id: string;
        /** @description Opaque; orders the receiver's stored events (resume with `since`) */
        cursor: string;
      };
    };
    MessageNewEvent: {
      /** @constant */
      type: "message.new";
      data: components["schemas"]["Message"];
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    MessageUpdatedEvent: {
      /** @constant */
      type: "message.updated";
      data: components["schemas"]["Message"];
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    MessageDeletedEvent: {
      /** @constant */
      type: "message.deleted";
      data: {
        /** Format: uuid */
        id: string;
        /** Format: uuid */
        conversation_id: string;
        seq: number;
        /** Format: date-time */
        deleted_at: string;
        /** @description The receiver's own, after the deletion */
        unread_count?: number;
        /** @description The receiver's own, after the deletion */
        mention_count?: number;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    ReactionAddedEvent: {
      /** @constant */
      type: "reaction.added";
      data: {
        /** Format: uuid */
        message_id: string;
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        user_id: string;
        emoji: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    ReactionRemovedEvent: {
      /** @constant */
      type: "reaction.removed";
      data: {
        /** Format: uuid */
        message_id: string;
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        user_id: string;
        emoji: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    MessageReadEvent: {
      /** @constant */
      type: "message.read";
      /** Format: uuid */
      message_id: string;
      /** Format: uuid */
      user_id: string;
      /** Format: uuid */
      conversation_id: string;
      last_read_seq: number;
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    ConversationCreatedEvent: {
      /** @constant */
      type: "conversation.created";
      data: components["schemas"]["Conversation"];
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    ConversationUpdatedEvent: {
      /** @constant */
      type: "conversation.updated";
      data: components["schemas"]["Conversation"];
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    ConversationDeletedEvent: {
      /** @constant */
      type: "conversation.deleted";
      data: {
        /** Format: uuid */
        id: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    MemberAddedEvent: {
      /** @constant */
      type: "member.added";
      data: {
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        user_id: string;
        /** @enum {string} */
        role: "owner" | "admin" | "member";
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    MemberRemovedEvent: {
      /** @constant */
      type: "member.removed";
      data: {
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        user_id: string;
        /** @enum {string} */
        role: "owner" | "admin" | "member";
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    UserSuspendedEvent: {
      /** @constant */
      type: "user.suspended";
      data: {
        /** Format: uuid */
        user_id: string;
        /** Format: date-time */
        suspended_at: string;
        reason?: string | null;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    UserRestoredEvent: {
      /** @constant */
      type: "user.restored";
      data: {
        /** Format: uuid */
        user_id: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    Api_keyRevokedEvent: {
      /** @constant */
      type: "api_key.revoked";
      data: {
        /** Format: uuid */
        id: string;
        bot_user_id: string | null;
        /** Format: date-time */
        revoked_at: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    UserSessions_revokedEvent: {
      /** @constant */
      type: "user.sessions_revoked";
      data: {
        /** Format: uuid */
        user_id: string;
        /** Format: date-time */
        tokens_valid_after: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    UserDeletedEvent: {
      /** @constant */
      type: "user.deleted";
      data: {
        /** Format: uuid */
        user_id: string;
        /** Format: date-time */
        deleted_at: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    BlockAddedEvent: {
      /** @constant */
      type: "block.added";
      data: {
        /** Format: uuid */
        user_id: string;
        /** Format: uuid */
        blocked_user_id: string;
        /** @enum {string} */
        kind: "block" | "mute";
        /** Format: date-time */
        created_at: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    BlockRemovedEvent: {
      /** @constant */
      type: "block.removed";
      data: {
        /** Format: uuid */
        user_id: string;
        /** Format: uuid */
        blocked_user_id: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    ReportCreatedEvent: {
      /** @constant */
      type: "report.created";
      data: {
        /** Format: uuid */
        id: string;
        /** Format: uuid */
        message_id: string;
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        sender_id: string;
        /** Format: uuid */
        reporter_id: string;
        reason: string;
        /** @enum {string} */
        status: "open" | "resolved";
        resolution?: string | null;
        /** Format: date-time */
        created_at: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    ReportResolvedEvent: {
      /** @constant */
      type: "report.resolved";
      data: {
        /** Format: uuid */
        id: string;
        /** Format: uuid */
        message_id: string;
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        sender_id: string;
        /** Format: uuid */
        reporter_id: string;
        reason: string;
        /** @enum {string} */
        status: "open" | "resolved";
        resolution?: string | null;
        /** Format: date-time */
        created_at: string;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    NotificationsUpdatedEvent: {
      /** @constant */
      type: "notifications.updated";
      data: {
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        user_id: string;
        /** @enum {string} */
        notification_level: "all" | "mentions" | "none";
        /** Format: date-time */
        muted_until: string | null;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    Read_stateUpdatedEvent: {
      /** @constant */
      type: "read_state.updated";
      data: {
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        user_id: string;
        last_read_seq: number;
        /** Format: uuid */
        thread_id: string | null;
        thread_last_read_seq: number | null;
        thread_unread_count: number | null;
        unread_count: number;
        mention_count: number;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    MessageDeliveredEvent: {
      /** @constant */
      type: "message.delivered";
      data: {
        /** Format: uuid */
        conversation_id: string;
        /** Format: uuid */
        user_id: string;
        delivered_seq: number;
      };
      /** @description Opaque; orders the receiver's stored events (resume with `since`) */
      cursor: string;
    };
    TypingIndicatorEvent: {
      /** @constant */
      type: "typing.indicator";
      /** Format: uuid */
      conversation_id: string;
      /** Format: uuid */
      user_id: string;
      is_typing: boolean;
    };
    PresenceChangedEvent: {
      /** @constant */
      type: "presence.changed";
      /** Format: uuid */
      user_id: string;
      /** @enum {string} */
      status: "online" | "away" | "busy" | "offline";
    };
    ErrorEvent: {
      /** @constant */
      type: "error";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      error: components["schemas"]["ErrorBody"];
    };
    AckEvent: {
      /** @constant */
      type: "ack";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id: string | number;
      /** @description The request's result */
      data: unknown;
    };
    MessageSendRequest: {
      /** @constant */
      type: "message.send";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** Format: uuid */
      conversation_id: string;
      content: string;
      metadata?: Record<string, unknown>;
      /** Format: uuid */
      parent_id?: string;
      attachments?: string[];
      /** @description Idempotency key: a resend with the same id returns the first message */
      client_msg_id?: string;
    };
    MessageSendAck: components["schemas"]["Message"];
    MessageReadRequest: {
      /** @constant */
      type: "message.read";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** Format: uuid */
      message_id: string;
    };
    MessageReadAck: components["schemas"]["ReadPointer"];
    MessageDeliveredRequest: {
      /** @constant */
      type: "message.delivered";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** Format: uuid */
      conversation_id: string;
      seq: number;
    };
    MessageDeliveredAck: {
      /** Format: uuid */
      conversation_id: string;
      delivered_seq: number;
    };
    TypingStartRequest: {
      /** @constant */
      type: "typing.start";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** Format: uuid */
      conversation_id: string;
    };
    TypingStartAck: {
      /** Format: uuid */
      conversation_id: string;
      /** @constant */
      is_typing: true;
    };
    TypingStopRequest: {
      /** @constant */
      type: "typing.stop";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** Format: uuid */
      conversation_id: string;
    };
    TypingStopAck: {
      /** Format: uuid */
      conversation_id: string;
      /** @constant */
      is_typing: false;
    };
    PresenceUpdateRequest: {
      /** @constant */
      type: "presence.update";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** @enum {string} */
      status: "online" | "away" | "busy" | "offline";
    };
    PresenceUpdateAck: components["schemas"]["Presence"];
    ReactionAddRequest: {
      /** @constant */
      type: "reaction.add";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** Format: uuid */
      message_id: string;
      emoji: string;
    };
    ReactionAddAck: components["schemas"]["Message"];
    ReactionRemoveRequest: {
      /** @constant */
      type: "reaction.remove";
      /** @description Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead */
      request_id?: string | number;
      /** Format: uuid */
      message_id: string;
      emoji: string;
    };
    ReactionRemoveAck: {
      /** Format: uuid */
      message_id: string;
      emoji: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

/** Every server → client frame, by its `type`. */
export interface ServerFrames {
  ready: components["schemas"]["ReadyEvent"];
  "message.new": components["schemas"]["MessageNewEvent"];
  "message.updated": components["schemas"]["MessageUpdatedEvent"];
  "message.deleted": components["schemas"]["MessageDeletedEvent"];
  "reaction.added": components["schemas"]["ReactionAddedEvent"];
  "reaction.removed": components["schemas"]["ReactionRemovedEvent"];
  "message.read": components["schemas"]["MessageReadEvent"];
  "conversation.created": components["schemas"]["ConversationCreatedEvent"];
  "conversation.updated": components["schemas"]["ConversationUpdatedEvent"];
  "conversation.deleted": components["schemas"]["ConversationDeletedEvent"];
  "member.added": components["schemas"]["MemberAddedEvent"];
  "member.removed": components["schemas"]["MemberRemovedEvent"];
  "user.suspended": components["schemas"]["UserSuspendedEvent"];
  "user.restored": components["schemas"]["UserRestoredEvent"];
  "api_key.revoked": components["schemas"]["Api_keyRevokedEvent"];
  "user.sessions_revoked": components["schemas"]["UserSessions_revokedEvent"];
  "user.deleted": components["schemas"]["UserDeletedEvent"];
  "block.added": components["schemas"]["BlockAddedEvent"];
  "block.removed": components["schemas"]["BlockRemovedEvent"];
  "report.created": components["schemas"]["ReportCreatedEvent"];
  "report.resolved": components["schemas"]["ReportResolvedEvent"];
  "notifications.updated": components["schemas"]["NotificationsUpdatedEvent"];
  "read_state.updated": components["schemas"]["Read_stateUpdatedEvent"];
  "message.delivered": components["schemas"]["MessageDeliveredEvent"];
  "typing.indicator": components["schemas"]["TypingIndicatorEvent"];
  "presence.changed": components["schemas"]["PresenceChangedEvent"];
  error: components["schemas"]["ErrorEvent"];
  ack: components["schemas"]["AckEvent"];
}

/** Every client → server message, by its `type`. */
export interface ClientMessages {
  "message.send": components["schemas"]["MessageSendRequest"];
  "message.read": components["schemas"]["MessageReadRequest"];
  "message.delivered": components["schemas"]["MessageDeliveredRequest"];
  "typing.start": components["schemas"]["TypingStartRequest"];
  "typing.stop": components["schemas"]["TypingStopRequest"];
  "presence.update": components["schemas"]["PresenceUpdateRequest"];
  "reaction.add": components["schemas"]["ReactionAddRequest"];
  "reaction.remove": components["schemas"]["ReactionRemoveRequest"];
}

/** The `data` of each client message's acknowledgement. */
export interface ClientAcks {
  "message.send": components["schemas"]["MessageSendAck"];
  "message.read": components["schemas"]["MessageReadAck"];
  "message.delivered": components["schemas"]["MessageDeliveredAck"];
  "typing.start": components["schemas"]["TypingStartAck"];
  "typing.stop": components["schemas"]["TypingStopAck"];
  "presence.update": components["schemas"]["PresenceUpdateAck"];
  "reaction.add": components["schemas"]["ReactionAddAck"];
  "reaction.remove": components["schemas"]["ReactionRemoveAck"];
}

/** Server frames that change stored state: they carry a `cursor` and are replayed on resume. */
export const STORED_EVENT_TYPES = [
  "message.new",
  "message.updated",
  "message.deleted",
  "reaction.added",
  "reaction.removed",
  "message.read",
  "conversation.created",
  "conversation.updated",
  "conversation.deleted",
  "member.added",
  "member.removed",
  "user.suspended",
  "user.restored",
  "api_key.revoked",
  "user.sessions_revoked",
  "user.deleted",
  "block.added",
  "block.removed",
  "report.created",
  "report.resolved",
  "notifications.updated",
  "read_state.updated",
  "message.delivered",
] as const;

/** Every server frame type. */
export const SERVER_FRAME_TYPES = [
  "ready",
  "message.new",
  "message.updated",
  "message.deleted",
  "reaction.added",
  "reaction.removed",
  "message.read",
  "conversation.created",
  "conversation.updated",
  "conversation.deleted",
  "member.added",
  "member.removed",
  "user.suspended",
  "user.restored",
  "api_key.revoked",
  "user.sessions_revoked",
  "user.deleted",
  "block.added",
  "block.removed",
  "report.created",
  "report.resolved",
  "notifications.updated",
  "read_state.updated",
  "message.delivered",
  "typing.indicator",
  "presence.changed",
  "error",
  "ack",
] as const;

/** The contract's error codes, with their HTTP status. */
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  resync_required: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rejected: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
