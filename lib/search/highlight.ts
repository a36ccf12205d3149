import type { SearchTerm } from "./search-query";

/** Marks around a matched term in a highlight (plain text: no client can render markup). */
export const HIGHLIGHT_START = "\u0002";
export const HIGHLIGHT_END = "\u0003";

/** Longest highlight, in UTF-16 code units, before the "…" marks. */
export const HIGHLIGHT_LENGTH = 240;
/** Context kept before the first match when the content has to be cut. */
const LEAD = 60;

/** Escapes the syntax characters only: with the `u` flag an escaped "-" or "/" is a syntax error. */
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Regexps for the term's matches: a substring, or each word as a word prefix. */
function patterns(term: SearchTerm): RegExp[] {
  if (term.substring) return [new RegExp(escapeRegExp(term.text), "giu")];
  return term.words.map(
    (word) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}[\\p{L}\\p{N}]*`, "giu"),
  );
}

function matchRanges(content: string, terms: SearchTerm[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const pattern of terms.flatMap(patterns)) {
    for (const match of content.matchAll(pattern)) {
      if (match[0].length > 0) ranges.push([match.index, match.index + match[0].length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
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

/**
 * A plain-text snippet of the content with every match of the positive terms between
 * \u0002 and \u0003. Computed here rather than with ts_headline so that word-prefix and
 * substring (CJK) matches are marked the same way; long content is cut to a window around
 * the first match, with "…" where text was left out.
 */
export function highlight(rawContent: string, terms: SearchTerm[]): string {
  const content = rawContent.replace(/[\u0002\u0003]/g, "");
  const ranges = matchRanges(content, terms);
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
