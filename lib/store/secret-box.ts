import crypto from "node:crypto";

/** What a sealed value starts with (a plaintext value from before does not). */
export const SEALED_PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encryption at rest for secrets the service must read back (webhook signing secrets, which
 * it needs to sign): AES-256-GCM under a key derived with HKDF from configuration, so a
 * database dump or backup alone does not give them away. Stored as `enc:v1:<base64url of
 * iv, tag, ciphertext>`; a value without the prefix is an older plaintext row, read as is.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: string, purpose: string) {
    this.key = Buffer.from(crypto.hkdfSync("sha256", keyMaterial, "", purpose, 32));
  }

  seal(plaintext: string): string {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
  }

  /** @throws when the value was sealed under another key (the key changed) */
  open(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    const bytes = Buffer.from(stored.slice(SEALED_PREFIX.length), "base64url");
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new Error("a stored secret cannot be decrypted: was the encryption key changed?");
    }
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(SEALED_PREFIX);
  }
}
