import type { computeHash } from "argon2id/lib/setup.js";
import { constantTimeEqual } from "../bytes.js";

/** OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = { memorySize: 19456, passes: 2, parallelism: 1, tagLength: 32 } as const;

export interface PasswordHasher {
  /** Returns a PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. */
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
  /** Pays the cost of a verification without an account, so a missing user answers as slowly as a real one. */
  burn(password: string): Promise<void>;
}

/** One argon2id computation: the raw tag for these bytes, salt and parameters. */
export type Argon2Compute = (input: { password: Uint8Array; salt: Uint8Array; params: Argon2Params }) => Promise<Uint8Array>;

/**
 * Thrown when the runtime cannot take another hash now (the Node hashing threads' queue is full).
 * The app answers 503 with Retry-After instead of letting sign-ins pile up without end.
 */
export class PasswordHasherBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("too many password hashes are waiting");
  }
}

/**
 * argon2id over WebAssembly, computed in this thread (the Worker's isolate, tests, and each Node
 * hashing thread). The runtime supplies the loader because Node reads the .wasm from disk while
 * workerd must import it as a compiled module (it refuses to compile bytes).
 */
export function createPasswordHasher(loadArgon2: () => Promise<computeHash>): PasswordHasher {
  return passwordHasherOver(argon2InThisThread(loadArgon2));
}

/** The computation alone, loading the WebAssembly on first use. */
export function argon2InThisThread(loadArgon2: () => Promise<computeHash>): Argon2Compute {
  let argon2: Promise<computeHash> | undefined;
  return async ({ password, salt, params }) => {
    argon2 ??= loadArgon2();
    return (await argon2)({ password, salt, ...params });
  };
}

/**
 * The PHC format, salts and the short-password rule around any computation: in this thread, or
 * on Node's hashing threads (src/auth/hash-pool.ts), which may reject with PasswordHasherBusy.
 */
export function passwordHasherOver(computeTag: Argon2Compute): PasswordHasher {
  const compute = (password: string, salt: Uint8Array, p: Argon2Params) =>
    computeTag({
      password: atLeastMinBytes(new TextEncoder().encode(password)),
      salt,
      params: { memorySize: p.memorySize, passes: p.passes, parallelism: p.parallelism, tagLength: p.tagLength },
    });
  const dummySalt = new Uint8Array(16);

  return {
    async hash(password) {
      if (new TextEncoder().encode(password).length < MIN_PASSWORD_BYTES) throw new Error("refusing to hash a password under 8 bytes");
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const tag = await compute(password, salt, ARGON2_PARAMS);
      return formatPhc(ARGON2_PARAMS, salt, tag);
    },
    async verify(phc, password) {
      const parsed = parsePhc(phc);
      if (!parsed) return false;
      const tag = await compute(password, parsed.salt, parsed.params);
      // A password too short to have been registered pays the full cost but never matches.
      return constantTimeEqual(tag, parsed.tag) && new TextEncoder().encode(password).length >= MIN_PASSWORD_BYTES;
    },
    async burn(password) {
      await compute(password, dummySalt, ARGON2_PARAMS);
    },
  };
}

/**
 * The argon2id package throws on some passwords under 8 bytes (the empty one, for instance), which
 * turned a login with an empty password into a 500. Registration requires 8 characters (so at least
 * 8 bytes), so no stored hash is of a shorter password: shorter input is zero-padded to be hashed
 * at the usual cost, and verify() refuses it whatever the padded hash says.
 */
const MIN_PASSWORD_BYTES = 8;

function atLeastMinBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= MIN_PASSWORD_BYTES) return bytes;
  const padded = new Uint8Array(MIN_PASSWORD_BYTES);
  padded.set(bytes);
  return padded;
}

export interface Argon2Params {
  memorySize: number;
  passes: number;
  parallelism: number;
  tagLength: number;
}

function formatPhc(p: Argon2Params, salt: Uint8Array, tag: Uint8Array): string {
  return `$argon2id$v=19$m=${p.memorySize},t=${p.passes},p=${p.parallelism}$${b64(salt)}$${b64(tag)}`;
}

function parsePhc(phc: string): { params: Argon2Params; salt: Uint8Array; tag: Uint8Array } | null {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!m) return null;
  const salt = unb64(m[4]!);
  const tag = unb64(m[5]!);
  return {
    params: { memorySize: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]), tagLength: tag.length },
    salt,
    tag,
  };
}

// PHC strings use standard base64 without padding.
function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
}

function unb64(text: string): Uint8Array {
  return Uint8Array.from(atob(text + "=".repeat((4 - (text.length % 4)) % 4)), (ch) => ch.charCodeAt(0));
}
