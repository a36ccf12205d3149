import assert from "node:assert/strict";
import { highlight } from "../../lib/search/highlight";
import {
  compileSearchQuery,
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

  it("cuts long content to a window around the first match", () => {
    const content = `${"a ".repeat(200)}needle ${"b ".repeat(200)}`;
    const result = highlight(content, terms("needle"));
    assert.ok(result.startsWith("…") && result.endsWith("…"));
    assert.ok(result.includes("\u0002needle\u0003"));
    assert.ok(result.length <= 245);
  });
});
