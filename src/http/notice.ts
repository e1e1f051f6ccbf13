import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { servedOverHttps, type AppConfig } from "../config.js";

/**
 * One-time notices carried across a 303: the post sets a short-lived cookie naming the notice, and
 * the next full page shows it once and clears it (views/layout.tsx). The cookie carries only one
 * of these names, never text, so nothing a request sends can be put into a page this way.
 */
export const NOTICES = ["verified", "verify-sent"] as const;
export type Notice = (typeof NOTICES)[number];

const LIFETIME_S = 60;

function noticeCookieName(config: AppConfig): string {
  return servedOverHttps(config) ? "__Host-notice" : "notice";
}

export function setNotice(c: Context, config: AppConfig, notice: Notice): void {
  setCookie(c, noticeCookieName(config), notice, { httpOnly: true, sameSite: "Lax", path: "/", secure: servedOverHttps(config), maxAge: LIFETIME_S });
}

/** The notice waiting for this page, if any; it is cleared, so a reload does not show it again. */
export function takeNotice(c: Context, config: AppConfig): Notice | null {
  const name = noticeCookieName(config);
  const value = getCookie(c, name);
  if (value === undefined) return null;
  deleteCookie(c, name, { path: "/", secure: servedOverHttps(config), httpOnly: true, sameSite: "Lax" });
  return (NOTICES as readonly string[]).includes(value) ? (value as Notice) : null;
}
