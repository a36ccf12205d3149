/** Shapes shared by the load generator's main thread, its workers and its reports. */

export type Transport = "io" | "ws";
export type ConversationKind = "direct" | "g10" | "g20" | "g200";

/** Every kind, in the order a send picks among them. */
export const CONVERSATION_KINDS: ConversationKind[] = ["direct", "g10", "g20", "g200"];

/** One simulated user with one connection. */
export interface ClientSpec {
  index: number;
  userId: string;
  token: string;
  /** Base URL of the node this client connects to (http://host:port). */
  url: string;
  transport: Transport;
  localAddress?: string;
  /** Resume after this cursor (`/ws?since=`, Socket.IO `auth.since`). */
  since?: string;
  /** Indices into the plan's conversations (bare servers are told to join these). */
  conversations: number[];
}

export interface ConversationSpec {
  id: string;
  kind: ConversationKind;
  /** Member user indices. */
  members: number[];
}

/** What one worker (or the in-thread group) is given. */
export interface GroupPlan {
  groupId: number;
  runTag: string;
  /** Bare baseline servers: no auth, clients send a `join` after connecting. */
  bare: boolean;
  clients: ClientSpec[];
  conversations: ConversationSpec[];
  /** Share of messages per conversation kind (sums to 1). */
  mix: Record<ConversationKind, number>;
  contents: string[];
  ackTimeoutMs: number;
  /** Sends above this many unacknowledged messages are skipped and counted. */
  maxInFlight: number;
  /** Seed for the random choices so runs are repeatable. */
  seed: number;
  /**
   * The faults scenario: clients reconnect to any of `urls` and resume, sends are resent
   * until acknowledged; an attempt unanswered for `ackBoundMs` counts as hung (and is resent).
   */
  faults?: { urls: string[]; ackBoundMs: number };
}

/** Counters of one measured phase (a fixed rate, or one step). */
export interface PhaseStats {
  phase: number;
  sent: number;
  acked: number;
  errors: number;
  skipped: number;
  delivered: number;
  duplicates: number;
  reordered: number;
  echoes: number;
  unexpected: number;
  /** Deliveries owed for acknowledged messages (members minus the sender). */
  expected: number;
  ackHistogram: string;
  receiveHistogram: string;
}

/** One second (roughly) of one group, for the timeline and the progress line. */
export interface IntervalSnapshot {
  at: number;
  open: number;
  connecting: number;
  dropped: number;
  sent: number;
  acked: number;
  errors: number;
  delivered: number;
  maxLagMs: number;
  ackHistogram: string;
  receiveHistogram: string;
  /** Cumulative: owed deliveries of acknowledged messages, unique deliveries, unacked sends. */
  totalExpected: number;
  totalDelivered: number;
  pending: number;
  errorCodes: Record<string, number>;
}

/** Running totals of one group (or all): what drain checks compare. */
export interface Totals {
  open: number;
  dropped: number;
  totalExpected: number;
  totalDelivered: number;
  pending: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  histogram: string;
  failures: Record<string, number>;
}

/** End-of-run accounting of one group: what it acknowledged and what it received. */
export interface GroupFinal {
  phases: PhaseStats[];
  /** [message number, owed deliveries, phase] for acknowledged messages sent by this group. */
  owed: [number, number, number][];
  /** message number → unique deliveries received by this group's clients. */
  received: [number, number][];
  timedOut: number;
  dropped: number;
  errorCodes: Record<string, number>;
}
