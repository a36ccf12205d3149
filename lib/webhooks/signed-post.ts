import { signatureHeaders } from "./webhook-signature";

/** The outcome of one signed POST. */
export interface PostResult {
  /** A 2xx answer. */
  ok: boolean;
  status?: number;
  /** Why it failed: the status, a timeout, a refused connection… */
  error?: string;
  /** The answer's body (at most 64 KiB), for hooks that answer something. */
  body?: string;
  seconds: number;
}

const MAX_ANSWER_BYTES = 65536;

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, MAX_ANSWER_BYTES);
}

/**
 * POSTs a JSON body signed with `secret` (see webhook-signature.ts), within `timeoutMs` for
 * the whole exchange, redirects not followed. Never throws.
 */
export async function signedPost(
  url: string,
  secret: string | undefined,
  id: string,
  body: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const response = await fetch(url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "messaging-service-webhooks/1",
        ...(secret ? signatureHeaders(secret, id, body) : { "webhook-id": id }),
        ...headers,
      },
      body,
    });
    const answer = await readCapped(response);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      status: response.status,
      error: ok ? undefined : `HTTP ${response.status}`,
      body: answer,
      seconds: seconds(),
    };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const reason =
      e.name === "TimeoutError" || e.name === "AbortError"
        ? `timed out after ${timeoutMs} ms`
        : (e.cause?.code ?? e.message);
    return { ok: false, error: reason, seconds: seconds() };
  }
}
