import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { WordListModerator } from "../../lib/moderation/word-list-moderator";
import type { ModerationRequest } from "../../lib/moderation/moderation";
import { commandAnswer, parseCommand } from "../../lib/webhooks/webhook-payloads";
import { newSigningSecret, signatureHeaders } from "../../lib/webhooks/webhook-signature";

const request = (content: string): ModerationRequest => ({
  kind: "message",
  conversation_id: "c",
  sender_id: "s",
  message_id: null,
  content,
  metadata: {},
  parent_id: null,
  attachments: [],
});

describe("webhook signatures", () => {
  it("are what a Standard Webhooks library verifies, and nothing else", () => {
    const secret = newSigningSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    const body = JSON.stringify({ id: "e1", type: "message.new", data: { content: "héllo" } });
    const headers = signatureHeaders(secret, "e1", body);
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.throws(() => new Webhook(secret).verify(body + " ", headers));
    assert.throws(() => new Webhook(newSigningSecret()).verify(body, headers));
    const stale = signatureHeaders(secret, "e1", body, new Date(Date.now() - 3_600_000));
    assert.throws(() => new Webhook(secret).verify(body, stale), /timestamp/i);
  });
});

describe("slash commands", () => {
  it("take the first token as the name and the rest as arguments", () => {
    assert.deepEqual(parseCommand("/weather Paris, France"), {
      name: "weather",
      args: "Paris, France",
    });
    assert.deepEqual(parseCommand("/ping"), { name: "ping", args: "" });
    assert.deepEqual(parseCommand("/roll\n2d6"), { name: "roll", args: "2d6" });
    assert.equal(parseCommand("not /a command"), undefined);
    assert.equal(parseCommand("/Upper case"), undefined);
    assert.equal(parseCommand(null), undefined);
  });

  it("read an answer's content and metadata, and nothing else", () => {
    assert.deepEqual(commandAnswer('{"content":"hi","metadata":{"a":1}}'), {
      content: "hi",
      metadata: { a: 1 },
    });
    assert.deepEqual(commandAnswer('{"content":"hi","metadata":[1]}'), { content: "hi" });
    assert.equal(commandAnswer("{}"), undefined);
    assert.equal(commandAnswer("not json"), undefined);
    assert.equal(commandAnswer(""), undefined);
  });
});

describe("the word list", () => {
  it("matches whole words in any case, Unicode included, and masks them", async () => {
    const reject = new WordListModerator(["darn", "ärger", "c++"], "reject");
    assert.equal((await reject.review(request("DARN it"))).action, "reject");
    assert.equal((await reject.review(request("so much Ärger!"))).action, "reject");
    assert.equal((await reject.review(request("I write c++ daily"))).action, "reject");
    assert.equal((await reject.review(request("darning socks"))).action, "allow");
    assert.equal((await reject.review(request("ärgerlich"))).action, "allow");
    const mask = new WordListModerator(["darn"], "mask");
    assert.deepEqual(await mask.review(request("darn, Darn and darned")), {
      action: "replace",
      content: "****, **** and darned",
    });
  });
});
