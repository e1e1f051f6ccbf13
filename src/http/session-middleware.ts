import { createMiddleware } from "hono/factory";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../auth/session-cookie.js";
import { validateSessionToken } from "../auth/session.js";
import type { HonoEnv } from "../deps.js";

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

/** Pages for signed-in users only: browsers go to the login page and come back after. */
export const requireUser = createMiddleware<HonoEnv>(async (c, next) => {
  if (c.var.user) return next();
  const url = new URL(c.req.url);
  let next_ = c.req.method === "GET" ? url.pathname + url.search : "";
  if (c.req.header("HX-Request") === "true") {
    const current = c.req.header("HX-Current-URL");
    if (current) {
      try {
        const cur = new URL(current);
        if (cur.host === url.host) next_ = cur.pathname + cur.search;
      } catch {
        // an unparseable header just loses the return path
      }
    }
    c.header("HX-Redirect", loginUrl(next_));
    return c.body(null, 200);
  }
  return c.redirect(loginUrl(next_), 303);
});

function loginUrl(next: string): string {
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
