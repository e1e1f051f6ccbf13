import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection: every state-changing request must come from one of our own origins.
 * Stricter than hono/csrf, which skips non-form content types: here no unsafe method passes
 * without an Origin we serve (or, for clients that omit Origin, Sec-Fetch-Site: same-origin).
 */
export function sameOriginOnly(allowedOrigins: readonly string[], opts: { exempt?: (c: Context) => boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !opts.exempt?.(c)) {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const allowed = origin ? allowedOrigins.includes(origin) : site === "same-origin";
      if (!allowed) {
        throw new HTTPException(403, {
          message: "This request came from another site, so it was refused. Reload SmartTask and try again.",
        });
      }
    }
    await next();
  };
}
