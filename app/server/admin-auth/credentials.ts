import { createHash, createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";

/**
 * The standalone admin's password. ADMIN_PASSWORD wins when set; otherwise the first start
 * generates one and keeps only its scrypt hash (and a one-time login token's hash) in
 * `${CARTBACK_DATA_DIR}/admin-credentials.json`. Plain values exist only in the start banner.
 */
interface StoredCredentials {
  version: 1;
  passwordHash: string;
  oneTimeTokenHash: string | null;
  createdAt: string;
}

export interface FirstStart {
  password: string;
  oneTimeToken: string;
}

function credentialsFile(config: Config): string {
  return path.resolve(config.dataDir, "admin-credentials.json");
}

/** On libuv's thread pool: the first start hashes while the database opens. */
export function hashSecret(secret: string, salt = randomBytes(16)): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, 32, (error, key) => {
      if (error) reject(error);
      else resolve(`scrypt$${salt.toString("base64url")}$${key.toString("base64url")}`);
    });
  });
}

export function verifySecret(secret: string, stored: string): boolean {
  const [scheme, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = scryptSync(secret, Buffer.from(salt, "base64url"), expected.length);
  return timingSafeEqual(actual, expected);
}

function read(config: Config): StoredCredentials | null {
  try {
    return JSON.parse(readFileSync(credentialsFile(config), "utf8")) as StoredCredentials;
  } catch {
    return null;
  }
}

function write(config: Config, credentials: StoredCredentials): void {
  const file = credentialsFile(config);
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(credentials), { mode: 0o600 });
  renameSync(temp, file);
}

export interface FirstStartHashes {
  firstStart: FirstStart;
  stored: StoredCredentials;
}

/**
 * The first start's password and login token with their hashes, made off the main thread
 * (scrypt is slow on purpose: ~1 s of a loaded start). Nothing is stored: a start that
 * fails before ensureAdminCredentials keeps no password it never showed.
 */
export async function hashFirstStart(config: Config): Promise<FirstStartHashes | null> {
  if (config.adminPassword || read(config)) return null;
  const password = randomBytes(12).toString("base64url");
  const oneTimeToken = randomBytes(24).toString("base64url");
  const [passwordHash, oneTimeTokenHash] = await Promise.all([hashSecret(password), hashSecret(oneTimeToken)]);
  return {
    firstStart: { password, oneTimeToken },
    stored: { version: 1, passwordHash, oneTimeTokenHash, createdAt: new Date().toISOString() },
  };
}

/** Called once at start: returns the generated password and login token on the very first start only. */
export async function ensureAdminCredentials(config: Config, hashes = hashFirstStart(config)): Promise<FirstStart | null> {
  const made = await hashes;
  if (!made || config.adminPassword || read(config)) return null;
  write(config, made.stored);
  return made.firstStart;
}

export function checkPassword(config: Config, password: string): boolean {
  if (config.adminPassword) {
    const a = Buffer.from(password);
    const b = Buffer.from(config.adminPassword);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  const stored = read(config);
  return stored ? verifySecret(password, stored.passwordHash) : false;
}

/** Consumes the one-time login token: true exactly once. */
export function consumeOneTimeToken(config: Config, token: string): boolean {
  const stored = read(config);
  if (!stored?.oneTimeTokenHash || !verifySecret(token, stored.oneTimeTokenHash)) return false;
  write(config, { ...stored, oneTimeTokenHash: null });
  return true;
}

let lastTag: { key: string; tag: string } | null = null;

/**
 * A fingerprint of the current password, stored with each admin session so that changing
 * the password (ADMIN_PASSWORD, or a new credentials file) ends every older session. The
 * generated password is already a salted scrypt hash; ADMIN_PASSWORD is hashed the same way
 * with a salt from the installation secret, once per process (scrypt is slow on purpose).
 */
export function credentialTag(config: Config, installationSecret: string): string {
  const source = config.adminPassword
    ? { kind: "env", secret: config.adminPassword }
    : { kind: "file", secret: read(config)?.passwordHash ?? "none" };
  const key = createHash("sha256").update(`${source.kind}\n${installationSecret}\n${source.secret}`).digest("base64url");
  if (lastTag?.key === key) return lastTag.tag;
  const salt = createHmac("sha256", installationSecret).update("admin-credential-tag").digest();
  const tag = source.kind === "env"
    ? scryptSync(source.secret, salt, 16).toString("base64url")
    : createHmac("sha256", salt).update(source.secret).digest("base64url").slice(0, 22);
  lastTag = { key, tag };
  return tag;
}
