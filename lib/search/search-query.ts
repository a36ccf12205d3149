/**
 * The web-search syntax of `GET /search/messages?q=`: words, `"a phrase"`, `-word` /
 * `-"a phrase"` (exclusion) and `or` between two terms. Terms next to each other must all
 * match (AND); `or` binds tighter than AND, so `a b or c` means a AND (b OR c).
 *
 * Every word matches as a prefix (`deploy` finds `deployment`). A term written in a script
 * without spaces between words (Han, Hiragana, Katakana, Hangul) cannot be split into
 * words by PostgreSQL's parser, so it matches as a case-insensitive substring of the
 * content instead. User text only ever reaches SQL as a bound parameter.
 */

/** One term of the query as the user wrote it. */
export interface SearchTerm {
  /** The word, or the phrase's words joined by single spaces. */
  text: string;
  /** The words of the term (one for a word, several for a phrase). */
  words: string[];
  phrase: boolean;
  negated: boolean;
  /** Matched as a substring of the content (CJK scripts), not through the tsvector. */
  substring: boolean;
}

/** The query: every clause must match; a clause matches when any of its terms does. */
export interface ParsedSearchQuery {
  clauses: SearchTerm[][];
}

/** A SQL boolean expression with `?` placeholders and its bindings (for knex.raw). */
export interface SqlFragment {
  sql: string;
  bindings: string[];
}

export interface CompiledSearchQuery {
  /** The WHERE condition matching the query; undefined when nothing can match. */
  where: SqlFragment | undefined;
  /** tsquery text (for `to_tsquery('simple', ?)`) of the positive word terms, for ts_rank. */
  rankQuery: string | undefined;
  /** Positive terms, for the highlighter. */
  highlightTerms: SearchTerm[];
}

const SPACELESS_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;

interface Token {
  kind: "term" | "or";
  term?: SearchTerm;
}

function makeTerm(raw: string, phrase: boolean, negated: boolean): SearchTerm | undefined {
  const words = raw.split(/\s+/u).filter((word) => HAS_WORD_CHARACTER.test(word));
  if (words.length === 0) return undefined;
  const text = words.join(" ");
  return { text, words, phrase, negated, substring: SPACELESS_SCRIPT.test(text) };
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/u.test(query[i])) {
      i += 1;
      continue;
    }
    let negated = false;
    if (query[i] === "-" && i + 1 < query.length && !/\s/u.test(query[i + 1])) {
      negated = true;
      i += 1;
    }
    if (query[i] === '"') {
      const end = query.indexOf('"', i + 1);
      const stop = end === -1 ? query.length : end;
      const term = makeTerm(query.slice(i + 1, stop), true, negated);
      if (term) tokens.push({ kind: "term", term });
      i = stop + 1;
      continue;
    }
    let stop = i;
    while (stop < query.length && !/\s/u.test(query[stop]) && query[stop] !== '"') stop += 1;
    const raw = query.slice(i, stop);
    i = stop;
    if (!negated && raw.toLowerCase() === "or") tokens.push({ kind: "or" });
    else {
      const term = makeTerm(raw, false, negated);
      if (term) tokens.push({ kind: "term", term });
    }
  }
  return tokens;
}

/** Most distinct terms a query may hold: each costs a condition per row and a highlight pattern. */
export const MAX_SEARCH_TERMS = 32;

const termKey = (term: SearchTerm): string =>
  `${term.negated ? "-" : ""}${term.phrase ? "p" : "w"}${term.substring ? "s" : ""}:${term.text.toLowerCase()}`;

/**
 * Parses the web-search syntax; words without any letter or digit are dropped, and so are a
 * term repeated inside a clause and a clause repeated (`a a a` is `a`): repeating a
 * condition changes nothing but its cost.
 */
export function parseSearchQuery(query: string): ParsedSearchQuery {
  const clauses: SearchTerm[][] = [];
  let joinNext = false;
  for (const token of tokenize(query)) {
    if (token.kind === "or") {
      joinNext = clauses.length > 0;
      continue;
    }
    const last = clauses[clauses.length - 1];
    if (!joinNext) clauses.push([token.term!]);
    else if (!last.some((term) => termKey(term) === termKey(token.term!))) last.push(token.term!);
    joinNext = false;
  }
  const seen = new Set<string>();
  return {
    clauses: clauses.filter((clause) => {
      const key = clause.map(termKey).sort().join("|");
      return !seen.has(key) && seen.add(key);
    }),
  };
}

/** How many different terms the query holds (for the MAX_SEARCH_TERMS cap). */
export function distinctTerms(parsed: ParsedSearchQuery): number {
  return new Set(parsed.clauses.flat().map(termKey)).size;
}

/** A tsquery operand: quoted so that no user character acts as a tsquery operator. */
function lexeme(word: string): string {
  return `'${word.replace(/\\/g, "\\\\").replace(/'/g, "''")}':*`;
}

/**
 * The tsquery text of one word term: every word a prefix, a phrase's words adjacent.
 * to_tsquery('simple', …) splits each quoted word with the same parser as the stored
 * tsvector (so `e-mail` and `deploy.sh` match the way they were indexed).
 */
export function termToTsQuery(term: SearchTerm): string {
  const body = term.words.map(lexeme).join(" <-> ");
  const grouped = term.words.length > 1 ? `(${body})` : body;
  return term.negated ? `!${grouped}` : grouped;
}

/** `%text%` for ILIKE with the LIKE wildcards of the text escaped (backslash is the escape). */
export function substringPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** True when no character of the text has upper and lower case forms (CJK, digits). */
const caseless = (text: string): boolean =>
  text.toLowerCase() === text && text.toUpperCase() === text;

/**
 * ILIKE lower-cases every content it tests (several times the cost of LIKE in a multibyte
 * encoding); a caseless term matches the same with LIKE.
 */
function substringCondition(term: SearchTerm, contentColumn: string): SqlFragment {
  const like = caseless(term.text) ? "LIKE" : "ILIKE";
  const operator = term.negated ? `NOT ${like}` : like;
  return {
    sql: `coalesce(${contentColumn}, '') ${operator} ?`,
    bindings: [substringPattern(term.text)],
  };
}

function tsCondition(tsquery: string, vectorColumn: string): SqlFragment {
  return { sql: `${vectorColumn} @@ to_tsquery('simple', ?)`, bindings: [tsquery] };
}

/**
 * Compiles a parsed query into one WHERE condition. Clauses made only of word terms are
 * merged into a single tsquery (one GIN index probe); clauses with a substring term
 * become their own OR of conditions, each one index-backed.
 * Column names are trusted identifiers from the repository, never user input.
 */
export function compileSearchQuery(
  parsed: ParsedSearchQuery,
  columns: { vector: string; content: string },
): CompiledSearchQuery {
  const tsClauses: string[] = [];
  const conditions: SqlFragment[] = [];
  for (const clause of parsed.clauses) {
    if (clause.every((term) => !term.substring)) {
      const parts = clause.map(termToTsQuery);
      tsClauses.push(parts.length > 1 ? `(${parts.join(" | ")})` : parts[0]);
      continue;
    }
    const parts = clause.map((term) =>
      term.substring
        ? substringCondition(term, columns.content)
        : tsCondition(termToTsQuery(term), columns.vector),
    );
    conditions.push({
      sql: `(${parts.map((part) => part.sql).join(" OR ")})`,
      bindings: parts.flatMap((part) => part.bindings),
    });
  }
  if (tsClauses.length > 0) conditions.unshift(tsCondition(tsClauses.join(" & "), columns.vector));

  const positive = parsed.clauses.flat().filter((term) => !term.negated);
  const rankTerms = positive.filter((term) => !term.substring).map(termToTsQuery);
  return {
    where:
      conditions.length === 0
        ? undefined
        : {
            sql: conditions.map((condition) => condition.sql).join(" AND "),
            bindings: conditions.flatMap((condition) => condition.bindings),
          },
    rankQuery: rankTerms.length > 0 ? rankTerms.join(" | ") : undefined,
    highlightTerms: positive,
  };
}

/** True when some clause has no excluded term, so the query cannot match "everything but". */
export function hasRequiredTerm(parsed: ParsedSearchQuery): boolean {
  return parsed.clauses.some((clause) => clause.every((term) => !term.negated));
}
