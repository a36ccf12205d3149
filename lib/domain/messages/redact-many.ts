import type {
  EventRedactionRepository,
  MessagePatch,
} from "../../store/event-redaction-repository";
import type { Tx } from "../../store/handles";

/** A message by id and conversation: what finding its stored events takes. */
export interface MessageRef {
  id: string;
  conversation_id: string;
}

/**
 * EventRedactionRepository.patchMessage for each message, in the caller's transaction: for
 * background work on many messages (an account's erasure, retention), each one found through
 * the log's own indexes.
 */
export async function patchEach(
  redactions: Pick<EventRedactionRepository, "patchMessage">,
  trx: Tx,
  messages: MessageRef[],
  patch: MessagePatch,
): Promise<void> {
  for (const message of messages) {
    await redactions.patchMessage(trx, message.conversation_id, message.id, patch);
  }
}
