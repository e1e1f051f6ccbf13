import type { Signer } from "./signing.js";

const DAY = 24 * 60 * 60 * 1000;
const NONCE_BYTES = 12;
export const ACTION_LINK_TTL_MS = 7 * DAY;

export type EmailAction = "done" | "tomorrow";

interface UnsubscribeClaims {
  p: "unsubscribe";
  u: string;
}

interface ActionClaims {
  p: "action";
  a: EmailAction;
  t: string;
  u: string;
  /** Expiry, ms since the epoch. */
  e: number;
  /** Nonce: recorded when used, so each link works once. */
  n: string;
  /**
   * The due date the email was about. A repeating task moves on to later occurrences; a link from
   * an earlier occurrence's email must not complete or move the current one.
   */
  d?: string;
}

/** The unsubscribe link never expires: it must work from any old email, without signing in. */
export async function unsubscribeToken(signer: Signer, userId: string): Promise<string> {
  return signer.sign({ p: "unsubscribe", u: userId } satisfies UnsubscribeClaims);
}

export async function unsubscribeTokens(signer: Signer, userIds: string[]): Promise<string[]> {
  return signer.signMany(userIds.map((u) => ({ p: "unsubscribe", u }) satisfies UnsubscribeClaims));
}

export async function readUnsubscribeToken(signer: Signer, token: string): Promise<{ userId: string } | null> {
  const claims = await signer.verify<UnsubscribeClaims>(token);
  return claims?.p === "unsubscribe" && typeof claims.u === "string" ? { userId: claims.u } : null;
}

export async function actionToken(signer: Signer, action: EmailAction, taskId: string, userId: string, now: Date, dueDate?: string): Promise<string> {
  return signer.sign(actionClaims(action, taskId, userId, now, dueDate));
}

/** Action tokens for many links at once (a scan batch signs two per task shown). */
export async function actionTokens(signer: Signer, links: { action: EmailAction; taskId: string; userId: string; dueDate?: string }[], now: Date): Promise<string[]> {
  return signer.signMany(links.map((l) => actionClaims(l.action, l.taskId, l.userId, now, l.dueDate)));
}

function actionClaims(action: EmailAction, taskId: string, userId: string, now: Date, dueDate?: string): ActionClaims {
  const claims: ActionClaims = { p: "action", a: action, t: taskId, u: userId, e: now.getTime() + ACTION_LINK_TTL_MS, n: randomHex(NONCE_BYTES) };
  if (dueDate) claims.d = dueDate;
  return claims;
}

export type ActionCheck =
  | { ok: true; action: EmailAction; taskId: string; userId: string; nonce: string; dueDate: string | null }
  | { ok: false; reason: "invalid" | "expired" };

export async function readActionToken(signer: Signer, token: string, now: Date): Promise<ActionCheck> {
  const c = await signer.verify<ActionClaims>(token);
  if (!c || c.p !== "action" || (c.a !== "done" && c.a !== "tomorrow") || typeof c.t !== "string" || typeof c.u !== "string" || typeof c.n !== "string" || typeof c.e !== "number") {
    return { ok: false, reason: "invalid" };
  }
  if (c.d !== undefined && typeof c.d !== "string") return { ok: false, reason: "invalid" };
  if (now.getTime() > c.e) return { ok: false, reason: "expired" };
  return { ok: true, action: c.a, taskId: c.t, userId: c.u, nonce: c.n, dueDate: c.d ?? null };
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
let pool = new Uint8Array(0);
let used = 0;

/**
 * Random hex from a pool refilled 4 KiB at a time: a scan makes two nonces per task shown, and one
 * getRandomValues call each cost more than the signature. Filled lazily, never at global scope.
 */
function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(4096));
    used = 0;
  }
  let out = "";
  for (let i = 0; i < bytes; i++) out += HEX[pool[used + i]!]!;
  used += bytes;
  return out;
}
