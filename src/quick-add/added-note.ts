import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { servedOverHttps, type AppConfig } from "../config.js";
import { fromBase64Url, textToBase64Url } from "../bytes.js";
import { UUID } from "../ids.js";

/**
 * After a quick add without JavaScript the browser is sent back (303) to the list it was on, which
 * then says what was understood, once. Unlike http/notice.ts (names only) this note carries words:
 * the new task's id, title and summary. It is written only by our own same-origin POST (a host-only
 * cookie, __Host- over HTTPS, so no other site or subdomain can plant one), holds the owner's own
 * words, is always escaped when shown, and is shown only to the user it was written for.
 */
export interface AddedNote {
  taskId: string;
  title: string;
  /** What was understood: "tomorrow 09:00, high". */
  summary: string;
}

const LIFETIME_S = 60;

function cookieName(config: AppConfig): string {
  return servedOverHttps(config) ? "__Host-quick-added" : "quick-added";
}

export function setAddedNote(c: Context, config: AppConfig, userId: string, note: AddedNote): void {
  const value = textToBase64Url(JSON.stringify({ u: userId, i: note.taskId, t: note.title, s: note.summary }));
  setCookie(c, cookieName(config), value, { httpOnly: true, sameSite: "Lax", path: "/", secure: servedOverHttps(config), maxAge: LIFETIME_S });
}

/** The note waiting for this user, if any; taken once (cleared), so a reload does not show it again. */
export function takeAddedNote(c: Context, config: AppConfig, userId: string): AddedNote | null {
  const name = cookieName(config);
  const value = getCookie(c, name);
  if (value === undefined) return null;
  deleteCookie(c, name, { path: "/", secure: servedOverHttps(config), httpOnly: true, sameSite: "Lax" });
  try {
    const bytes = fromBase64Url(value);
    if (!bytes) return null;
    const data = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const { u, i, t, s } = data;
    if (u !== userId || typeof i !== "string" || !UUID.test(i) || typeof t !== "string" || typeof s !== "string") return null;
    return { taskId: i, title: t.slice(0, 200), summary: s.slice(0, 300) };
  } catch {
    return null;
  }
}
