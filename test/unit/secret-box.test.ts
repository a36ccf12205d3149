import assert from "node:assert/strict";
import { SecretBox } from "../../lib/store/secret-box";

describe("secret box (encryption at rest)", () => {
  const box = new SecretBox("key material", "test v1");

  it("seals to a fresh ciphertext each time and opens it again", () => {
    const [a, b] = [box.seal("whsec_abc"), box.seal("whsec_abc")];
    assert.notEqual(a, b, "a random IV per seal");
    assert.ok(!a.includes("whsec_abc"));
    assert.equal(box.open(a), "whsec_abc");
  });

  it("refuses a value sealed under another key or altered, and passes plaintext through", () => {
    const sealed = box.seal("whsec_abc");
    assert.throws(
      () => new SecretBox("other key", "test v1").open(sealed),
      /encryption key changed/,
    );
    assert.throws(() => new SecretBox("key material", "other purpose").open(sealed));
    const altered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    assert.throws(() => box.open(altered));
    assert.equal(box.open("whsec_plain"), "whsec_plain");
  });
});
