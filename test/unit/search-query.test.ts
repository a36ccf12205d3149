import assert from "node:assert/strict";
import { highlight } from "../../lib/search/highlight";
import { TermMatcher } from "../../lib/search/term-matcher";
import {
  MAX_SEARCH_TERMS,
  compileSearchQuery,
  distinctTerms,
  hasRequiredTerm,
  parseSearchQuery,
  substringPattern,
} from "../../lib/search/search-query";

const columns = { vector: "v", content: "c" };
const compile = (q: string) => compileSearchQuery(parseSearchQuery(q), columns);

describe("search query syntax", () => {
  it("ANDs words and makes every word a prefix", () => {
    const { where, rankQuery } = compile("deploy Server");
    assert.equal(where?.sql, "v @@ to_tsquery('simple', ?)");
    assert.deepEqual(where?.bindings, ["'deploy':* & 'Server':*"]);
    assert.equal(rankQuery, "'deploy':* | 'Server':*");
  });

  it("keeps a quoted phrase's words adjacent", () => {
    assert.deepEqual(compile('"release notes" v2').where?.bindings, [
      "('release':* <-> 'notes':*) & 'v2':*",
    ]);
  });

  it('excludes -word and -"phrase" and binds or tighter than AND', () => {
    assert.deepEqual(compile('a b or c -d -"e f"').where?.bindings, [
      "'a':* & ('b':* | 'c':*) & !'d':* & !('e':* <-> 'f':*)",
    ]);
  });

  it("quotes tsquery operators and quotes in user text so they stay literal", () => {
    assert.deepEqual(compile("it's a&b|!c:* back\\slash").where?.bindings, [
      "'it''s':* & 'a&b|!c:*':* & 'back\\\\slash':*",
    ]);
  });

  it("drops words without letters or digits and a dangling or", () => {
    assert.deepEqual(parseSearchQuery("or !!! -- or").clauses, []);
    assert.equal(compile("!!! ---").where, undefined);
    assert.deepEqual(compile("x or").where?.bindings, ["'x':*"]);
  });

  it("matches CJK terms as escaped substrings, combined with word terms", () => {
    const { where, rankQuery, highlightTerms } = compile("x 部署 deploy or 100%_版本 -旧");
    assert.equal(
      where?.sql,
      "v @@ to_tsquery('simple', ?) AND (coalesce(c, '') LIKE ?) AND (v @@ to_tsquery('simple', ?) OR coalesce(c, '') LIKE ?) AND (coalesce(c, '') NOT LIKE ?)",
    );
    assert.deepEqual(where?.bindings, ["'x':*", "%部署%", "'deploy':*", "%100\\%\\_版本%", "%旧%"]);
    assert.equal(rankQuery, "'x':* | 'deploy':*");
    assert.deepEqual(
      highlightTerms.map((term) => term.text),
      ["x", "部署", "deploy", "100%_版本"],
    );
  });

  it("uses ILIKE only for a substring term with upper- and lower-case letters", () => {
    assert.equal(compile("版本v2").where?.sql, "(coalesce(c, '') ILIKE ?)");
    assert.equal(
      compile("-Ω部署 部署").where?.sql,
      "(coalesce(c, '') NOT ILIKE ?) AND (coalesce(c, '') LIKE ?)",
    );
  });

  it("escapes LIKE wildcards", () => {
    assert.equal(substringPattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
  });

  it("drops repeated terms and clauses, so `a a a` costs what `a` costs", () => {
    const parsed = parseSearchQuery(Array(128).fill("a").join(" "));
    assert.equal(parsed.clauses.length, 1);
    assert.deepEqual(compile("a A a or a b or A").where?.bindings, ["'a':* & ('b':* | 'A':*)"]);
    assert.equal(distinctTerms(parseSearchQuery('x y -x "x y" x')), 4);
  });

  it("counts distinct terms against the cap", () => {
    const words = Array.from({ length: MAX_SEARCH_TERMS + 1 }, (_, i) => `w${i}`);
    assert.equal(distinctTerms(parseSearchQuery(words.join(" "))), MAX_SEARCH_TERMS + 1);
  });

  it("knows when only excluded terms were given", () => {
    assert.equal(hasRequiredTerm(parseSearchQuery("-a -b")), false);
    assert.equal(hasRequiredTerm(parseSearchQuery("-a b")), true);
  });
});

describe("search highlight", () => {
  const terms = (q: string) => compile(q).highlightTerms;

  it("marks whole words that start with a query word, case-insensitively", () => {
    assert.equal(
      highlight("Deployment of the redeploy is deployed", terms("deploy")),
      "\u0002Deployment\u0003 of the redeploy is \u0002deployed\u0003",
    );
  });

  it("marks CJK substrings and never marks excluded terms", () => {
    assert.equal(
      highlight("我们明天部署新版本 old", terms("部署 -old")),
      "我们明天\u0002部署\u0003新版本 old",
    );
  });

  it("marks words made of regular-expression syntax, dashes and slashes literally", () => {
    for (const word of ["pg_sleep(5)--", "a-b", "a/b", "x.*+?^${}()|[]\\y", "5)--"]) {
      assert.equal(
        highlight(`run ${word} now`, terms(`"${word}"`)),
        `run \u0002${word}\u0003 now`,
        word,
      );
    }
  });

  it("marks a word prefix after punctuation, never inside a word, and the longest match", () => {
    assert.equal(
      highlight("(deployed) undeploy e-mail", terms("deploy e-mail e")),
      "(\u0002deployed\u0003) undeploy \u0002e-mail\u0003",
    );
    assert.equal(
      highlight("İstanbul ISTANBUL", terms("istanbul")),
      "İstanbul \u0002ISTANBUL\u0003",
    );
    assert.equal(highlight("😀deploy 😀", terms("deploy")), "😀\u0002deploy\u0003 😀");
  });

  it("scans once: work grows with the text, not with repeated or overlapping terms", () => {
    // Counts the positions the matcher visits instead of timing it.
    const visited = (text: string, words: string[]) => {
      let steps = 0;
      const matcher = new TermMatcher(words.map((word) => ({ text: word, kind: "word" })));
      for (const _ of matcher.ranges(text, () => ++steps > 0));
      return steps;
    };
    const text = Array(2000).fill("a").join(" ");
    assert.equal(visited(text, Array(128).fill("a")), text.length);
    const dotted = Array(2000).fill("a").join(".");
    assert.equal(
      visited(dotted, ["a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a", "a"]),
      dotted.length,
    );
  });

  it("stops reading a long text once the window around the first match is known", () => {
    let read = 0;
    const text = `needle ${"needle ".repeat(2000)}`;
    const matcher = new TermMatcher([{ text: "needle", kind: "word" }]);
    const found = [...matcher.ranges(text, (end) => (read = end) < 400)];
    assert.ok(found.length > 0 && read <= 400);
    const snippet = highlight(text, terms("needle"));
    assert.equal(snippet.split("\u0002").length - 1, Math.ceil(240 / 7));
  });

  it("cuts long content to a window around the first match", () => {
    const content = `${"a ".repeat(200)}needle ${"b ".repeat(200)}`;
    const result = highlight(content, terms("needle"));
    assert.ok(result.startsWith("…") && result.endsWith("…"));
    assert.ok(result.includes("\u0002needle\u0003"));
    assert.ok(result.length <= 245);
  });
});
