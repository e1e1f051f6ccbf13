import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/**
 * The origins that count as `origin` itself. A loopback origin is one machine under three names:
 * `npm run dev` and `npm start` print 127.0.0.1 while APP_URL says localhost, and a form opened
 * at either must work. Same scheme and port only; a public origin stays exactly itself.
 *
 * @example
 * sameOrigins("http://localhost:8787") // ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]
 */
export function sameOrigins(origin: string): string[] {
  const url = new URL(origin);
  if (!LOOPBACK_HOSTS.includes(url.hostname)) return [url.origin];
  return LOOPBACK_HOSTS.map((host) => {
    const alias = new URL(url.origin);
    alias.hostname = host;
    return alias.origin;
  });
}

/**
 * CSRF protection: every state-changing request must come from one of our own origins.
 * Stricter than hono/csrf, which skips non-form content types: here no unsafe method passes
 * without an Origin we serve (or, for clients that omit Origin, Sec-Fetch-Site: same-origin).
 */
export function sameOriginOnly(allowedOrigins: readonly string[], opts: { exempt?: (c: Context) => boolean } = {}): MiddlewareHandler {
  const allowed = new Set(allowedOrigins.flatMap(sameOrigins));
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !opts.exempt?.(c)) {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const ok = origin ? allowed.has(origin) : site === "same-origin";
      if (!ok) {
        throw new HTTPException(403, {
          message: "This request came from another site, so it was refused. Reload SmartTask and try again.",
        });
      }
    }
    await next();
  };
}
