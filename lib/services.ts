import type { AccountServices } from "./accounts";
import type { TokenService } from "./auth/tokens";
import type {
  ConversationService,
  FileService,
  MessageService,
  PresenceService,
  SearchService,
  SyncService,
} from "./domain/contracts";
import type { PushDeviceService } from "./domain/push/push-device-service";
import type { UserService } from "./domain/users/user-service";
import type { NotificationService } from "./domain/notifications/notification-service";
import type { ReadStateService } from "./domain/messages/read-state-service";
import type { HealthRegistry } from "./health";
import type { IntegrationServices } from "./integrations";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import type { RateLimits } from "./rate-limit/rate-limits";

/**
 * The domain layer every transport calls. Routes and sockets receive this and nothing
 * lower (no knex, ioredis or nats).
 */
export interface Services extends IntegrationServices, AccountServices {
  logger: Logger;
  health: HealthRegistry;
  tokens: TokenService;
  users: UserService;
  /** Prometheus metrics: record through its verbs (`messageSent`, `connectionOpened`, …). */
  metrics: Metrics;
  /** Every rate limit (REST, logins, uploads, message sends on all transports, realtime). */
  rateLimits: RateLimits;
  conversations: ConversationService;
  messages: MessageService;
  search: SearchService;
  files: FileService;
  presence: PresenceService;
  sync: SyncService;
  /** Notification levels and mutes, badges, the read-receipt privacy switch. */
  notifications: NotificationService;
  /** Mark unread, thread read pointers, delivered acknowledgements. */
  readState: ReadStateService;
  /** The caller's push devices (issue #17). */
  pushDevices: PushDeviceService;
}
