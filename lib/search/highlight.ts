import type { SearchTerm } from "./search-query";
import { MatchPattern, Range, TermMatcher } from "./term-matcher";

/** Marks around a matched term in a highlight (plain text: no client can render markup). */
export const HIGHLIGHT_START = "\u0002";
export const HIGHLIGHT_END = "\u0003";

/** Longest highlight, in UTF-16 code units, before the "…" marks. */
export const HIGHLIGHT_LENGTH = 240;
/** Context kept before the first match when the content has to be cut. */
const LEAD = 60;

/** The highlighter's patterns: a substring term as a whole, each word of a word term. */
function patternsOf(terms: SearchTerm[]): MatchPattern[] {
  return terms.flatMap((term): MatchPattern[] =>
    term.substring
      ? [{ text: term.text, kind: "substring" }]
      : term.words.map((word) => ({ text: word, kind: "word" })),
  );
}

/**
 * The matches that can show: the earliest-starting one and every one that starts inside the
 * window after it. The scan stops once no later match can start before the window's end, so
 * the work is linear in the text up to there, however many matches the rest holds.
 */
function visibleRanges(content: string, matcher: TermMatcher): Range[] {
  const ranges: Range[] = [];
  let first = Infinity;
  const keepGoing = (end: number): boolean =>
    end - matcher.longest <= Math.max(first, 0) + LEAD + HIGHLIGHT_LENGTH;
  for (const range of matcher.ranges(content, keepGoing)) {
    ranges.push(range);
    first = Math.min(first, range[0]);
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** Moves an index off the second half of a surrogate pair. */
function safeIndex(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/** The highlighter of one query: build once, apply to every hit. */
export function highlighter(terms: SearchTerm[]): (content: string) => string {
  const matcher = new TermMatcher(patternsOf(terms));
  return (content) => highlightWith(content, matcher);
}

/**
 * A plain-text snippet of the content with every match of the positive terms between
 * \u0002 and \u0003. Computed here rather than with ts_headline so that word-prefix and
 * substring (CJK) matches are marked the same way; long content is cut to a window around
 * the first match, with "…" where text was left out.
 */
export function highlight(rawContent: string, terms: SearchTerm[]): string {
  return highlightWith(rawContent, new TermMatcher(patternsOf(terms)));
}

function highlightWith(rawContent: string, matcher: TermMatcher): string {
  const content = rawContent.replace(/[\u0002\u0003]/g, "");
  const ranges = visibleRanges(content, matcher);
  let start = 0;
  let end = content.length;
  if (content.length > HIGHLIGHT_LENGTH) {
    const first = ranges[0]?.[0] ?? 0;
    start = safeIndex(content, Math.max(0, Math.min(first - LEAD, end - HIGHLIGHT_LENGTH)));
    end = safeIndex(content, Math.min(content.length, start + HIGHLIGHT_LENGTH));
  }
  let out = start > 0 ? "…" : "";
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    out += content.slice(at, a) + HIGHLIGHT_START + content.slice(a, b) + HIGHLIGHT_END;
    at = b;
  }
  out += content.slice(at, end);
  return end < content.length ? `${out}…` : out;
}
