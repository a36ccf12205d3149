import type { ConversationSpec } from "../types";
import { adminQuery } from "./fault-cluster";
import type { FaultGroupFinal } from "./fault-client-group";
import { countStreamMessageIds } from "./jetstream-audit";
import { unpublishedCondition } from "./outbox-state";

/** Violations and counts of one fault window (a phase), all of them expected to be 0 but `events`. */
export interface AuditCounts {
  /** Deliveries owed (member × stored seq) that never arrived. */
  lost: number;
  /** A member received the same seq twice. */
  doubled: number;
  /** A member received a seq after a higher one of the same conversation. */
  reordered: number;
  /** Acknowledged sends not in the database (or stored under another id or seq). */
  ackedNotStored: number;
  /** A client_msg_id stored more than once, or acked with two different messages. */
  storedTwice: number;
  /** Holes in a conversation's seqs. */
  seqGaps: number;
  /** Outbox events of the window, and how JetStream holds them (by Nats-Msg-Id). */
  events: number;
  jetstreamMissing: number;
  jetstreamDoubled: number;
}

export interface AuditResult {
  byPhase: Map<number, AuditCounts>;
  /** Stream messages that no outbox event accounts for. */
  jetstreamForeign: number;
  /** Outbox events never marked published at the end. */
  unpublished: number;
  storedMessages: number;
  /** Sends stored by the server whose ack the client never saw (resent or run ended). */
  storedNeverAcked: number;
}

/** A stored message of the run, as the audit reads it. */
export interface MessageRow {
  conversation_id: string;
  seq: number;
  id: string;
  client_msg_id: string | null;
  phase: number | null;
}

export const zeroCounts = (): AuditCounts => ({
  lost: 0,
  doubled: 0,
  reordered: 0,
  ackedNotStored: 0,
  storedTwice: 0,
  seqGaps: 0,
  events: 0,
  jetstreamMissing: 0,
  jetstreamDoubled: 0,
});

/**
 * The end-of-run truth: the database's messages of the run's conversations, the outbox, and
 * the JetStream stream, against what every client acknowledged and received. Each finding
 * is charged to the fault window its message was intended in (setup events to phase -1).
 */
export async function auditRun(input: {
  finals: FaultGroupFinal[];
  conversations: ConversationSpec[];
  databaseUrl: string;
  natsUrl: string;
  stream: string;
}): Promise<AuditResult> {
  const rows = await adminQuery<MessageRow>(
    input.databaseUrl,
    `SELECT conversation_id, seq::int AS seq, id, client_msg_id, (metadata->'load'->>'p')::int AS phase
       FROM messages WHERE conversation_id = ANY($1::uuid[]) ORDER BY conversation_id, seq`,
    [input.conversations.map((conversation) => conversation.id)],
  );
  const { byPhase, counts, storedNeverAcked } = auditStored(
    rows,
    input.finals,
    input.conversations,
  );
  const { foreign, unpublished } = await auditJetStream(input, counts);
  return {
    byPhase,
    jetstreamForeign: foreign,
    unpublished,
    storedMessages: rows.length,
    storedNeverAcked,
  };
}

/**
 * The stored messages (in conversation and seq order) against the clients' acks and
 * receipts: gaps, lost, doubled and reordered deliveries, acks the database does not back.
 */
export function auditStored(
  rows: MessageRow[],
  finals: FaultGroupFinal[],
  conversations: ConversationSpec[],
) {
  const byPhase = new Map<number, AuditCounts>();
  const counts = (phase: number | null | undefined) => {
    const key = phase ?? -1;
    if (!byPhase.has(key)) byPhase.set(key, zeroCounts());
    return byPhase.get(key)!;
  };
  const seqPhase = new Map<string, Map<number, number>>();
  const byClientMsgId = new Map<string, MessageRow[]>();
  const newest = new Map<string, number>();
  for (const row of rows) {
    let phases = seqPhase.get(row.conversation_id);
    if (!phases) seqPhase.set(row.conversation_id, (phases = new Map()));
    // Rows come in seq order: every number skipped since the previous row is a gap.
    counts(row.phase).seqGaps += Math.max(0, row.seq - (newest.get(row.conversation_id) ?? 0) - 1);
    newest.set(row.conversation_id, row.seq);
    phases.set(row.seq, row.phase ?? -1);
    if (row.client_msg_id) {
      const same = byClientMsgId.get(row.client_msg_id) ?? [];
      byClientMsgId.set(row.client_msg_id, [...same, row]);
    }
  }
  auditDeliveries({ finals, conversations }, seqPhase, counts);
  const storedNeverAcked = auditAcks(finals, byClientMsgId, counts);
  return { byPhase, counts, storedNeverAcked };
}

/** Every member owes every stored seq of its conversations, once and in order. */
function auditDeliveries(
  input: { finals: FaultGroupFinal[]; conversations: ConversationSpec[] },
  seqPhase: Map<string, Map<number, number>>,
  counts: (phase: number) => AuditCounts,
): void {
  const received = new Map<string, number[]>();
  for (const final of input.finals) {
    for (const [client, conversationId, seqs] of final.receipts) {
      received.set(`${client}|${conversationId}`, seqs);
    }
  }
  for (const conversation of input.conversations) {
    const phases = seqPhase.get(conversation.id) ?? new Map<number, number>();
    for (const member of conversation.members) {
      const seen = new Set<number>();
      let newest = 0;
      for (const seq of received.get(`${member}|${conversation.id}`) ?? []) {
        const phase = phases.get(seq) ?? -1;
        if (seen.has(seq)) counts(phase).doubled += 1;
        else if (seq < newest) counts(phase).reordered += 1;
        seen.add(seq);
        newest = Math.max(newest, seq);
      }
      for (const [seq, phase] of phases) if (!seen.has(seq)) counts(phase).lost += 1;
    }
  }
}

/** Every acknowledged send is stored once, as acknowledged; returns stored-but-unacked sends. */
function auditAcks(
  finals: FaultGroupFinal[],
  byClientMsgId: Map<string, MessageRow[]>,
  counts: (phase: number) => AuditCounts,
): number {
  let storedNeverAcked = 0;
  for (const send of finals.flatMap((final) => final.sends)) {
    const stored = byClientMsgId.get(send.clientMsgId) ?? [];
    if (stored.length > 1 || send.conflicting) counts(send.phase).storedTwice += 1;
    if (send.ackedAt === undefined) {
      if (stored.length > 0) storedNeverAcked += 1;
      continue;
    }
    const match = stored.find((row) => row.id === send.messageId && row.seq === send.seq);
    if (!match) counts(send.phase).ackedNotStored += 1;
  }
  return storedNeverAcked;
}

/** JetStream holds every outbox event exactly once (by Nats-Msg-Id), and nothing else. */
async function auditJetStream(
  input: { databaseUrl: string; natsUrl: string; stream: string },
  counts: (phase: number | null) => AuditCounts,
): Promise<{ foreign: number; unpublished: number }> {
  const unpublishedSql = await unpublishedCondition(input.databaseUrl);
  const events = await adminQuery<{ id: string; phase: number | null; unpublished: boolean }>(
    input.databaseUrl,
    `SELECT id, (payload->'data'->'metadata'->'load'->>'p')::int AS phase,
            ${unpublishedSql} AS unpublished FROM outbox`,
  );
  const inStream = await countStreamMessageIds(input.natsUrl, input.stream);
  let unpublished = 0;
  for (const event of events) {
    const phase = counts(event.phase);
    phase.events += 1;
    const copies = inStream.get(event.id) ?? 0;
    if (copies === 0) phase.jetstreamMissing += 1;
    if (copies > 1) phase.jetstreamDoubled += 1;
    if (event.unpublished) unpublished += 1;
    inStream.delete(event.id);
  }
  return { foreign: inStream.size, unpublished };
}
