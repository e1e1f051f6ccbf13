import { describe, expect, it } from "vitest";
import { cookieAttributes, location, rawRequest, setCookieLine, uniqueIp } from "./support/auth-helpers.js";
import { makeTestApp, textOf, uniqueEmail } from "./support/test-app.js";

// Served over https, as in production: the session cookie must take its __Host- form.
const t = await makeTestApp({ now: "2026-06-15T12:00:00Z", appUrl: "https://smarttask.test" });
const PASSWORD = "correct horse battery";

/** The directives of a Content-Security-Policy header, by name. */
function csp(res: Response): Record<string, string[]> {
  const header = res.headers.get("content-security-policy") ?? "";
  return Object.fromEntries(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

describe("security headers on every kind of answer", () => {
  const answers: [string, () => Promise<Response>][] = [
    ["the login page", () => t.browser().get("/login")],
    ["the task list", async () => {
      const b = t.browser();
      await b.register();
      return b.get("/tasks");
    }],
    ["a redirect", () => t.browser().get("/tasks")],
    ["a 404", () => t.browser().get("/no/such/page")],
    ["a 403 refusal", () => t.browser().post("/logout", {}, { headers: { origin: "https://evil.example" } })],
    ["a 413 refusal", () => t.browser().post("/register", { name: "A".repeat(70 * 1024) })],
    ["a 422 form", () => t.browser(uniqueIp()).post("/login", { email: uniqueEmail(), password: "nope" })],
    ["an htmx fragment", () => t.browser().get("/tasks", { htmx: true })],
    ["the health check", () => t.browser().get("/healthz")],
  ];

  it.each(answers)("sends a strict CSP, nosniff and no framing on %s", async (_, fetchIt) => {
    const res = await fetchIt();
    expect(res.status).toBeLessThan(500);
    const policy = csp(res);
    expect(policy["script-src"]).toEqual(["'self'"]);
    expect(policy["default-src"]).toEqual(["'self'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy["base-uri"]).toEqual(["'none'"]);
    expect(res.headers.get("content-security-policy")).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toMatch(/deny|sameorigin/i);
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("puts no inline script on the page (the CSP would block it)", async () => {
    const b = t.browser();
    await b.register();
    const html = await (await b.get("/tasks")).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/[^/]/);
      expect(body!.trim()).toBe("");
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});

describe("user-supplied text is escaped", () => {
  const xss = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;

  it("escapes a hostile name in the page header and on the settings page", async () => {
    const b = t.browser();
    await b.register({ name: xss });
    for (const path of ["/tasks", "/settings"]) {
      const html = await (await b.get(path)).text();
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toContain("<script>alert(1)");
      expect(html).not.toContain("<img src=x");
      expect(textOf(html)).toContain(`Log out ${xss}`);
    }
  });

  it("escapes a hostile email typed into the login form", async () => {
    const res = await t.browser(uniqueIp()).post("/login", { email: `"><script>alert(1)</script>`, password: PASSWORD });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
    expect(html).not.toContain("<script>alert(1)");
  });

  it("escapes a hostile `next` reflected into the login form", async () => {
    const next = `/tasks"><script>alert(1)</script>`;
    const html = await (await t.browser().get(`/login?next=${encodeURIComponent(next)}`)).text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain('name="next" value="/tasks&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it("escapes hostile registration input shown again after an error", async () => {
    const res = await t.browser().post("/register", { name: xss, email: xss, password: "short", timezone: xss });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<img src=x");
  });
});

describe("the session cookie over https", () => {
  it("is named __Host-session and is Secure, HttpOnly, SameSite=Lax, Path=/ with no Domain", async () => {
    const res = await t.browser().post("/register", { name: "Ada", email: uniqueEmail(), password: PASSWORD, timezone: "UTC" });
    expect(res.status).toBe(303);
    expect(setCookieLine(res, "session")).toBeUndefined();
    const line = setCookieLine(res, "__Host-session")!;
    expect(line).toBeDefined();
    const attrs = cookieAttributes(line);
    expect(attrs).toHaveProperty("secure");
    expect(attrs).toHaveProperty("httponly");
    expect(attrs.samesite).toBe("Lax");
    expect(attrs.path).toBe("/");
    expect(attrs).not.toHaveProperty("domain");
  });

  it("signs in with __Host-session, ignores a plain `session` cookie, and clears the right one on logout", async () => {
    const b = t.browser();
    await b.register();
    const token = b.cookies.get("__Host-session")!;
    expect(token).toMatch(/^[0-9a-f]{40}\.[0-9a-f]{64}$/);
    expect((await b.get("/tasks")).status).toBe(200);

    const plain = await rawRequest(t, "GET", "/tasks", { headers: { cookie: `session=${token}` } });
    expect(plain.status).toBe(303);
    expect(location(plain)).toBe("/login?next=%2Ftasks");

    const out = await b.post("/logout");
    expect(out.status).toBe(303);
    const cleared = setCookieLine(out, "__Host-session")!;
    expect(cleared).toMatch(/Max-Age=0/i);
    expect(cookieAttributes(cleared)).toHaveProperty("secure");
    const replay = await rawRequest(t, "GET", "/tasks", { headers: { cookie: `__Host-session=${token}` } });
    expect(location(replay)).toBe("/login?next=%2Ftasks");
  });

  it("accepts posts from its own https origin and refuses the http one", async () => {
    const b = t.browser();
    await b.register();
    const refused = await b.post("/logout", {}, { headers: { origin: "http://smarttask.test" } });
    expect(refused.status).toBe(403);
    expect((await b.get("/tasks")).status).toBe(200);
    expect((await b.post("/logout")).status).toBe(303);
  });
});
