/**
 * Finds the query's terms in a text in one pass (Aho–Corasick over case-folded code
 * points), so the work is linear in the text whatever the terms: a pattern that repeats
 * in the query is matched once, and each position reports at most one range per kind.
 * (modern-ahocorasick's TextMatcher does the same with grapheme segmentation, about 8 ms
 * per 4,000-character message here: too slow for a page of a hundred hits.)
 */

/** A word pattern matches at a word start and marks the rest of that word too; a substring anywhere. */
export interface MatchPattern {
  text: string;
  kind: "word" | "substring";
}

/** A range of UTF-16 indexes, end exclusive. */
export type Range = [number, number];

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Lower case per code point; a code point whose lower case is longer stays as it is. */
function fold(char: string): string {
  const lower = char.toLowerCase();
  return lower.length === char.length ? lower : char;
}

interface Node {
  next: Map<string, number>;
  fail: number;
  /** Patterns ending here, through the failure links too, longest first. */
  out: number[];
}

export class TermMatcher {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  private readonly patterns: { kind: MatchPattern["kind"]; length: number }[] = [];
  /** The longest pattern in UTF-16 units: how far back a match can start. */
  readonly longest: number = 0;

  constructor(patterns: MatchPattern[]) {
    const seen = new Set<string>();
    for (const pattern of patterns) {
      const folded = [...pattern.text].map(fold);
      const key = `${pattern.kind}:${folded.join("")}`;
      if (folded.length === 0 || seen.has(key)) continue;
      seen.add(key);
      this.add(folded, pattern.kind, pattern.text.length);
      this.longest = Math.max(this.longest, pattern.text.length);
    }
    this.link();
  }

  private add(chars: string[], kind: MatchPattern["kind"], length: number): void {
    let at = 0;
    for (const char of chars) {
      let next = this.nodes[at].next.get(char);
      if (next === undefined) {
        next = this.nodes.push({ next: new Map(), fail: 0, out: [] }) - 1;
        this.nodes[at].next.set(char, next);
      }
      at = next;
    }
    this.nodes[at].out.push(this.patterns.push({ kind, length }) - 1);
  }

  /** Failure links breadth first; each node's outputs gain those of its failure node. */
  private link(): void {
    const queue = [...this.nodes[0].next.values()];
    for (let i = 0; i < queue.length; i++) {
      const node = this.nodes[queue[i]];
      node.out.push(...this.nodes[node.fail].out);
      node.out.sort((a, b) => this.patterns[b].length - this.patterns[a].length);
      for (const [char, child] of node.next) {
        let fail = node.fail;
        while (fail !== 0 && !this.nodes[fail].next.has(char)) fail = this.nodes[fail].fail;
        const target = this.nodes[fail].next.get(char);
        this.nodes[child].fail = target !== undefined && target !== child ? target : 0;
        queue.push(child);
      }
    }
  }

  private step(state: number, char: string): number {
    let at = state;
    for (;;) {
      const next = this.nodes[at].next.get(char);
      if (next !== undefined) return next;
      if (at === 0) return 0;
      at = this.nodes[at].fail;
    }
  }

  /**
   * Matched ranges in order of their end, scanning from the start of `text` until
   * `keepGoing(end)` says no: at most one word range (a word pattern at a word start,
   * extended to the end of that word) and one substring range per position.
   */
  *ranges(text: string, keepGoing: (end: number) => boolean = () => true): Generator<Range> {
    let state = 0;
    let wordEnd = -1;
    for (let index = 0; index < text.length;) {
      const char = String.fromCodePoint(text.codePointAt(index)!);
      const end = index + char.length;
      if (!keepGoing(end)) return;
      state = this.step(state, fold(char));
      let word = false;
      let substring = false;
      for (const id of this.nodes[state].out) {
        const { kind, length } = this.patterns[id];
        const start = end - length;
        if (kind === "substring" && !substring) {
          substring = true;
          yield [start, end];
        } else if (kind === "word" && !word && !WORD_CHARACTER.test(charBefore(text, start))) {
          word = true;
          // Word ends only move forward, so no character is scanned twice for them.
          if (wordEnd < end) wordEnd = endOfWord(text, end);
          yield [start, wordEnd];
        }
      }
      index = end;
    }
  }
}

function charBefore(text: string, index: number): string {
  if (index <= 0) return "";
  const code = text.charCodeAt(index - 1);
  return code >= 0xdc00 && code <= 0xdfff && index >= 2
    ? text.slice(index - 2, index)
    : text[index - 1];
}

function endOfWord(text: string, from: number): number {
  let at = from;
  while (at < text.length) {
    const char = String.fromCodePoint(text.codePointAt(at)!);
    if (!WORD_CHARACTER.test(char)) break;
    at += char.length;
  }
  return at;
}
