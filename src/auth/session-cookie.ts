import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { servedOverHttps, type AppConfig } from "../config.js";

/** `__Host-` pins the cookie to this exact host, https and path "/"; plain http cannot use it. */
export function sessionCookieName(config: AppConfig): string {
  return servedOverHttps(config) ? "__Host-session" : "session";
}

export function readSessionCookie(c: Context, config: AppConfig): string | undefined {
  return getCookie(c, sessionCookieName(config));
}

export function writeSessionCookie(c: Context, config: AppConfig, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName(config), token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: servedOverHttps(config),
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, config: AppConfig): void {
  deleteCookie(c, sessionCookieName(config), { path: "/", secure: servedOverHttps(config), httpOnly: true, sameSite: "Lax" });
}
