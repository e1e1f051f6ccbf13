import { createMiddleware } from "hono/factory";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../auth/session-cookie.js";
import { validateSessionToken } from "../auth/session.js";
import type { User } from "../db/schema.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { currentPage, redirectBrowser } from "./render.js";

/** Puts the signed-in user (or null) on the context; re-sends the cookie only when expiry moved. */
export const loadSession = createMiddleware<HonoEnv>(async (c, next) => {
  const { config, clock } = c.var.deps;
  const token = readSessionCookie(c, config);
  c.set("user", null);
  c.set("session", null);
  if (token) {
    const session = await validateSessionToken(c.var.db, token, clock.now());
    if (session) {
      c.set("user", session.user);
      c.set("session", session);
      if (session.extended) writeSessionCookie(c, config, token, session.expiresAt);
    } else {
      clearSessionCookie(c, config);
    }
  }
  await next();
});

/**
 * Pages for signed-in users only: browsers go to the login page and come back after. Routes
 * behind it see `c.var.user` as a User (SignedInEnv), so they need no null checks.
 */
export const requireUser = createMiddleware<SignedInEnv>(async (c, next) => {
  // loadSession set the user or null; this check is what makes SignedInEnv true for what follows.
  if (c.var.user as User | null) return next();
  const url = new URL(c.req.url);
  // From htmx, back to the page it was on; from a plain browser, to the page it asked for (GET only).
  const from = currentPage(c);
  const back = from ? from.pathname + from.search : c.req.method === "GET" ? url.pathname + url.search : "";
  return redirectBrowser(c, loginUrl(back));
});

function loginUrl(next: string): string {
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
