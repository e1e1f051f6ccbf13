import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";

/** No script or style but our own files; nothing may frame us, post elsewhere, or load plugins. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join("; ");

/**
 * Powerful features SmartTask never uses, refused to the page and to anything it could embed:
 * sensors, capture devices, payment, hardware ports, and the ad-interest API (browsing-topics,
 * which replaced FLoC's interest-cohort; browsers now report that name as unknown on every page).
 */
const PERMISSIONS_POLICY = [
  "accelerometer",
  "autoplay",
  "browsing-topics",
  "camera",
  "display-capture",
  "encrypted-media",
  "fullscreen",
  "geolocation",
  "gyroscope",
  "hid",
  "idle-detection",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "picture-in-picture",
  "publickey-credentials-get",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

/**
 * The headers every answer carries, pages and static files alike (hono/secure-headers' defaults
 * with our CSP, plus a Permissions-Policy). On the Worker, static files get the same set from
 * static/_headers; a test keeps the two identical.
 */
export const SECURITY_HEADERS: readonly [string, string][] = [
  ["Content-Security-Policy", CONTENT_SECURITY_POLICY],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Permissions-Policy", PERMISSIONS_POLICY],
  ["Referrer-Policy", "same-origin"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

/**
 * Sets the security headers before the handler runs, so they are part of the response when it is
 * created. hono/secure-headers sets them afterwards on `c.res`, which on Node turns the adapter's
 * lightweight response into a full one and copies its body: 15-20 % of a list page's CPU.
 */
export const securityHeaders = createMiddleware(async (c, next) => {
  setSecurityHeaders(c);
  await next();
});

/**
 * A handler outside the app (the Node entry's static file server) with the same headers, set
 * only when it runs, so requests that go on to the app pay nothing for them.
 *
 * @example
 * server.get("/app.css", withSecurityHeaders(serveStatic({ root: "./static" })));
 */
export function withSecurityHeaders(handler: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => {
    setSecurityHeaders(c);
    return handler(c, next);
  };
}

function setSecurityHeaders(c: Context) {
  for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
}
