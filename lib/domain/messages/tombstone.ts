/**
 * The fields of a Message that a deletion empties, as the contract's tombstone shows them
 * (content null, no metadata, attachments or reactions): merged into every stored event that
 * carried the message (EventRedactionRepository).
 */
export function tombstonePatch(deletedAt: string): Record<string, unknown> {
  return { content: null, metadata: {}, attachments: [], reactions: [], deleted_at: deletedAt };
}
