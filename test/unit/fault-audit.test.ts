import assert from "node:assert/strict";
import { auditStored, MessageRow } from "../load/faults/delivery-audit";
import type { FaultGroupFinal } from "../load/faults/fault-client-group";
import type { SendRecord } from "../load/faults/send-book";
import type { ConversationSpec } from "../load/types";

const C = "0190f1c2-7a3b-7c4d-8e5f-0000000000c1";
const conversations: ConversationSpec[] = [{ id: C, kind: "g10", members: [0, 1, 2] }];

/** Three stored messages, seq 1–3, intended in fault windows 1, 1 and 2. */
const rows = (): MessageRow[] =>
  [1, 2, 3].map((seq) => ({
    conversation_id: C,
    seq,
    id: `m${seq}`,
    client_msg_id: `k${seq}`,
    phase: seq < 3 ? 1 : 2,
  }));

const acked = (seq: number, overrides: Partial<SendRecord> = {}): SendRecord => ({
  number: seq,
  client: 0,
  conversationId: C,
  clientMsgId: `k${seq}`,
  content: "x",
  intended: 0,
  phase: seq < 3 ? 1 : 2,
  attempts: 1,
  inFlight: 0,
  sentAt: 0,
  errors: {},
  hung: 0,
  ackedAt: 1,
  seq,
  messageId: `m${seq}`,
  ...overrides,
});

function final(receipts: FaultGroupFinal["receipts"], sends: SendRecord[]): FaultGroupFinal {
  return {
    sends,
    receipts,
    deliveries: [],
    ackHistograms: [],
    reconnections: [],
    presence: [],
    dropped: 0,
    errorCodes: {},
  };
}

const everyone = (seqs: number[]): FaultGroupFinal["receipts"] =>
  [0, 1, 2].map((member) => [member, C, seqs]);

const violations = (result: ReturnType<typeof auditStored>) =>
  Object.fromEntries(
    [...result.byPhase].map(([phase, counts]) => [
      phase,
      Object.fromEntries(Object.entries(counts).filter(([, value]) => value > 0)),
    ]),
  );

describe("the faults scenario's audit (test/load/faults/delivery-audit.ts)", () => {
  it("finds nothing when every member received every stored seq once, in order", () => {
    const sends = [1, 2, 3].map((seq) => acked(seq));
    const result = auditStored(rows(), [final(everyone([1, 2, 3]), sends)], conversations);
    assert.deepEqual(violations(result), { 1: {}, 2: {} });
    assert.equal(result.storedNeverAcked, 0);
  });

  it("charges a missing, a doubled and a reordered delivery to the window of its message", () => {
    const receipts: FaultGroupFinal["receipts"] = [
      [0, C, [1, 2, 3]],
      [1, C, [1, 3]], // seq 2 (window 1) lost
      [2, C, [1, 3, 2, 3]], // seq 2 after 3 (reordered), seq 3 (window 2) twice
    ];
    const result = auditStored(rows(), [final(receipts, [])], conversations);
    assert.deepEqual(violations(result), {
      1: { lost: 1, reordered: 1 },
      2: { doubled: 1 },
    });
  });

  it("finds an ack the database does not back, one key stored twice, and seq gaps", () => {
    const stored = rows().filter((row) => row.seq !== 2);
    stored.push({ conversation_id: C, seq: 4, id: "m4", client_msg_id: "k3", phase: 2 });
    const sends = [acked(1, { messageId: "elsewhere" }), acked(2), acked(3)];
    const result = auditStored(stored, [final(everyone([1, 3, 4]), sends)], conversations);
    // A gap is charged to the window of the first message stored after it.
    assert.deepEqual(violations(result), {
      1: { ackedNotStored: 2 },
      2: { storedTwice: 1, seqGaps: 1 },
    });
  });

  it("counts a send the server stored whose ack the client never saw, without charging it", () => {
    const sends = [acked(1), acked(2), acked(3, { ackedAt: undefined })];
    const result = auditStored(rows(), [final(everyone([1, 2, 3]), sends)], conversations);
    assert.equal(result.storedNeverAcked, 1);
    assert.deepEqual(violations(result), { 1: {}, 2: {} });
  });
});
