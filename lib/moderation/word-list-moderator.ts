import type { ModerationRequest, Moderator, Verdict } from "./moderation";

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The built-in filter: whole words from a list, in any case (letters and digits around a
 * match make it part of another word, so "class" does not match "ass"). `reject` refuses
 * the message; `mask` replaces each match with as many `*`.
 */
export class WordListModerator implements Moderator {
  readonly name = "word_list";
  readonly onFailure = "open" as const;
  private readonly pattern: RegExp;

  constructor(
    words: readonly string[],
    private readonly action: "reject" | "mask",
  ) {
    const alternatives = [...new Set(words.map((word) => word.normalize("NFC").trim()))]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map(escape);
    this.pattern = new RegExp(
      `(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`,
      "giu",
    );
  }

  review(request: ModerationRequest): Promise<Verdict> {
    this.pattern.lastIndex = 0;
    if (!this.pattern.test(request.content)) return Promise.resolve({ action: "allow" });
    if (this.action === "reject") {
      return Promise.resolve({ action: "reject", reason: "the message contains a blocked word" });
    }
    const masked = request.content.replace(this.pattern, (match) => "*".repeat([...match].length));
    return Promise.resolve({ action: "replace", content: masked });
  }
}
