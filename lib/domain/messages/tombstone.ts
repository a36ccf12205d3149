/**
 * The fields of a Message that a deletion empties, as the contract's tombstone shows them
 * (content null, no metadata, attachments, reactions or mentions): merged into every stored event that
 * carried the message (EventRedactionRepository).
 */
export function tombstonePatch(deletedAt: string): Record<string, unknown> {
  return {
    content: null,
    metadata: {},
    attachments: [],
    reactions: [],
    mentions: [],
    deleted_at: deletedAt,
  };
}
