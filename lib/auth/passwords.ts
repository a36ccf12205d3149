import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const MAX_MEMORY = 512 * 1024 * 1024;
const KEY_LENGTH = 32;

/**
 * Hashes a password as `scrypt$N$r$p$salt$hash` (base64). The parameters travel with the
 * hash, so raising the cost later keeps old hashes verifiable.
 * @param cost log2(N); OWASP recommends 17 (N=2^17, r=8, p=1)
 */
export async function hashPassword(password: string, cost = 17): Promise<string> {
  const params = { N: 2 ** cost, r: 8, p: 1, maxmem: MAX_MEMORY };
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize("NFC"), salt, KEY_LENGTH, params);
  return [
    "scrypt",
    params.N,
    params.r,
    params.p,
    salt.toString("base64"),
    hash.toString("base64"),
  ].join("$");
}

/** Constant-time check of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(
    password.normalize("NFC"),
    Buffer.from(salt, "base64"),
    expected.length,
    {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: MAX_MEMORY,
    },
  );
  return crypto.timingSafeEqual(actual, expected);
}
