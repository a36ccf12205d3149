import assert from "node:assert/strict";
import { retryDelay } from "../../lib/push/push-sender";

describe("push retry backoff", () => {
  it("waits retry_base after the first failure and doubles up to retry_max", () => {
    const settings = { retry_base: 2000, retry_max: 30_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((failures) => retryDelay(failures, settings)),
      [2000, 4000, 8000, 16_000, 30_000, 30_000],
    );
  });
});
