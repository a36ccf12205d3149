import type { Message } from "../types.js";

/**
 * One conversation's stored messages, by seq (replies included), plus where older
 * history continues. Seqs are gapless, so a run of held seqs is the whole of that range.
 */
export class Timeline {
  private readonly bySeq: Message[] = [];
  private readonly byId = new Map<string, Message>();
  /** True once the newest page of history was loaded. */
  loaded = false;
  /** Where the next older page starts; null when nothing older remains (or not loaded). */
  olderCursor: string | null = null;

  get messages(): readonly Message[] {
    return this.bySeq;
  }

  get(id: string): Message | undefined {
    return this.byId.get(id);
  }

  get newestSeq(): number {
    return this.bySeq.length ? this.bySeq[this.bySeq.length - 1].seq : 0;
  }

  get oldestSeq(): number {
    return this.bySeq.length ? this.bySeq[0].seq : 0;
  }

  /** Inserts or replaces (same id or same seq); returns the message it replaced. */
  upsert(message: Message): Message | undefined {
    const index = this.indexOfSeq(message.seq);
    const previous = this.bySeq[index]?.seq === message.seq ? this.bySeq[index] : undefined;
    if (previous) {
      this.bySeq[index] = message;
      this.byId.delete(previous.id);
    } else {
      this.bySeq.splice(index, 0, message);
    }
    this.byId.set(message.id, message);
    return previous;
  }

  /** True when every seq in (from, to] is held. */
  holdsRange(from: number, to: number): boolean {
    if (to <= from) return true;
    const start = this.indexOfSeq(from + 1);
    const end = this.indexOfSeq(to);
    return (
      this.bySeq[start]?.seq === from + 1 &&
      this.bySeq[end]?.seq === to &&
      end - start === to - from - 1
    );
  }

  /** The first index whose seq is >= `seq` (binary search). */
  private indexOfSeq(seq: number): number {
    let low = 0;
    let high = this.bySeq.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.bySeq[mid].seq < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
