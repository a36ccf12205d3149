/** Most distinct `@names` one message resolves (the rest are plain text): bounds a send's lookup. */
export const MAX_MENTION_NAMES = 20;

/** `@name` where name uses the username alphabet, not glued to a preceding word (e-mail addresses). */
const MENTION = /(?<![\p{L}\p{N}_.@-])@([a-z0-9_.-]{1,32})/giu;

/** What a message's content names: usernames (lower case) and whether `@all` appears. */
export interface ParsedMentions {
  names: string[];
  all: boolean;
}

/**
 * The `@username` and `@all` tokens of content. Which of them count is the store's
 * decision at send time (only members, `@all` only from a group's owner or admins). A
 * name followed by sentence punctuation ("@bob.") yields both "bob." and "bob", since
 * usernames may contain dots; only an existing member's name resolves.
 */
export function parseMentions(content: string): ParsedMentions {
  const names = new Set<string>();
  let all = false;
  for (const match of content.matchAll(MENTION)) {
    const name = match[1].toLowerCase();
    if (name === "all") {
      all = true;
      continue;
    }
    for (const candidate of [name, name.replace(/[.-]+$/, "")]) {
      if (candidate.length >= 3 && names.size < MAX_MENTION_NAMES) names.add(candidate);
    }
  }
  return { names: [...names], all };
}
