import type { TestApp } from "./test-app.js";

export const DAY = 24 * 60 * 60 * 1000;
export const MINUTE = 60 * 1000;

/** A client address no other test uses, so per-address limits never leak between tests or files. */
export function uniqueIp(): string {
  const hex = crypto.randomUUID().replace(/-/g, "");
  return `fd00:${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 12)}::${hex.slice(12, 16)}`;
}

/** A random IPv6 /64 no other test uses, as its first four groups; `in64(prefix, host)` names an address inside it. */
export function uniqueNetwork(): string {
  const hex = crypto.randomUUID().replace(/-/g, "");
  return `fd01:${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 12)}`;
}
export const in64 = (prefix: string, host: string) => `${prefix}:${host}`;

/** The Set-Cookie line that sets `name`, or undefined when the response leaves it alone. */
export function setCookieLine(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((line) => line.split("=")[0]!.trim() === name);
}

/** The attributes of a Set-Cookie line, lower-cased names, e.g. { httponly: "", path: "/" }. */
export function cookieAttributes(line: string): Record<string, string> {
  const [, ...attrs] = line.split(";");
  return Object.fromEntries(
    attrs.map((a) => {
      const [k, ...v] = a.trim().split("=");
      return [k!.toLowerCase(), v.join("=")];
    }),
  );
}

/**
 * A request made without the Browser's helpful defaults: no cookies unless given, and no Origin
 * unless given, like a cross-site form, a script or an old client would send it.
 */
export function rawRequest(t: TestApp, method: string, path: string, opts: { headers?: Record<string, string>; body?: BodyInit } = {}) {
  const origin = new URL(t.browser().origin);
  return t.app.request(new URL(path, origin).toString(), { method, headers: opts.headers, body: opts.body, redirect: "manual" });
}

/** Where a redirect goes (303 for a browser post). */
export function location(res: Response): string | null {
  return res.headers.get("location");
}
