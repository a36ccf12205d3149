import crypto from "node:crypto";
import jwt from "jsonwebtoken";
import { newId } from "../../lib/ids";

/** The secret test apps sign with (test/support/test-app.ts). */
const SECRET = "test-secret-0123456789abcdef";

/** Tokens an attacker may try; every one must be refused with 401 unauthorized. */
export function hostileTokens(userId: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const base64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = (header: object, claims: object) => `${base64(header)}.${base64(claims)}.`;
  const claims = { sub: userId, exp: now + 600 };
  return {
    "alg none": unsigned({ alg: "none", typ: "JWT" }, claims),
    "alg None": unsigned({ alg: "None", typ: "JWT" }, claims),
    "RS256 with an attacker's key": jwt.sign(claims, privateKey, { algorithm: "RS256" }),
    "HS512 with the secret": jwt.sign(claims, SECRET, { algorithm: "HS512" }),
    "HS384 with the secret": jwt.sign(claims, SECRET, { algorithm: "HS384" }),
    // Algorithm confusion: a server verifying RS256 with a public key would accept an HS256
    // token signed with that key as the secret. Here: the secret presented as a PEM key.
    "HS256 with the secret as a PEM public key": jwt.sign(
      claims,
      `-----BEGIN PUBLIC KEY-----\n${Buffer.from(SECRET).toString("base64")}\n-----END PUBLIC KEY-----`,
      { algorithm: "HS256" },
    ),
    "HS256 with another secret": jwt.sign(claims, "another-secret-0123456789", {
      algorithm: "HS256",
    }),
    "missing exp": jwt.sign({ sub: userId }, SECRET, { algorithm: "HS256", noTimestamp: true }),
    expired: jwt.sign({ sub: userId, exp: now - 10 }, SECRET, { algorithm: "HS256" }),
    "future nbf": jwt.sign({ sub: userId, exp: now + 600, nbf: now + 300 }, SECRET, {
      algorithm: "HS256",
    }),
    "sub not a string": jwt.sign({ sub: 42, exp: now + 600 } as object, SECRET, {
      algorithm: "HS256",
    }),
    "tampered claims": (() => {
      const [header, , signature] = jwt.sign(claims, SECRET, { algorithm: "HS256" }).split(".");
      return `${header}.${base64({ sub: newId(), exp: now + 600 })}.${signature}`;
    })(),
    garbage: "not.a.token",
  };
}
