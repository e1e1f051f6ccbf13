import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../e2e/support/server.js";
import { actionToken, unsubscribeToken } from "../src/email/links.js";
import { emailSigner } from "../src/email/signing-key.js";
import { SECURITY_HEADERS } from "../src/http/security-headers.js";
import { cookieAttributes, location, rawRequest, setCookieLine, uniqueIp } from "./support/auth-helpers.js";
import { mailbox } from "./support/reminder-mail.js";
import { signedIn } from "./support/tasks.js";
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

/**
 * The whole set, written out here rather than read from the source, so that changing a header is
 * a deliberate edit in two places. The CSP allows no inline script; the Permissions-Policy refuses
 * every powerful feature we never use (camera, microphone, geolocation, payment, USB, ad topics…).
 */
const EXPECTED_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "permissions-policy":
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()",
  "referrer-policy": "same-origin",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

function securityHeadersOf(res: Response): Record<string, string | null> {
  return Object.fromEntries(Object.keys(EXPECTED_HEADERS).map((name) => [name, res.headers.get(name)]));
}

describe("the whole security header set", () => {
  it.each<[string, () => Promise<Response>, number]>([
    ["a page", async () => {
      const { browser } = await signedIn(t);
      return browser.get("/tasks");
    }, 200],
    ["an htmx fragment", async () => {
      const { browser } = await signedIn(t);
      return browser.get("/tasks?status=todo", { htmx: true });
    }, 200],
    ["a 404 page", () => t.browser().get("/no/such/page"), 404],
    ["a 422 form", () => t.browser(uniqueIp()).post("/login", { email: uniqueEmail(), password: "nope" }), 422],
    ["a 422 htmx fragment", async () => {
      const { browser } = await signedIn(t);
      return browser.post("/tasks", { title: "" }, { htmx: true });
    }, 422],
  ])("is sent on %s", async (_, fetchIt, status) => {
    const res = await fetchIt();
    expect(res.status).toBe(status);
    expect(securityHeadersOf(res)).toEqual(EXPECTED_HEADERS);
  });

  it("is what the app sends, and what static/_headers gives the Worker's static files", () => {
    expect(Object.fromEntries(SECURITY_HEADERS.map(([name, value]) => [name.toLowerCase(), value]))).toEqual(EXPECTED_HEADERS);
    // Workers Static Assets serve static/ before the Worker runs and apply its _headers file.
    const lines = readFileSync(new URL("../static/_headers", import.meta.url), "utf8")
      .split("\n")
      .filter((line) => line.trim() && !line.startsWith("#"));
    expect(lines[0]).toBe("/*");
    const rules = lines.slice(1).map((line) => {
      expect(line).toMatch(/^\s+\S/);
      const at = line.indexOf(":");
      return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()];
    });
    expect(Object.fromEntries(rules)).toEqual(EXPECTED_HEADERS);
    expect(rules).toHaveLength(Object.keys(EXPECTED_HEADERS).length);
  });

});

describe("the Node entry over real HTTP", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it.each(["/app.css", "/app.js", "/vendor/htmx.min.js"])("sends the whole set on the static file %s, which stays cacheable", async (path) => {
    const res = await fetch(server.origin + path);
    expect(res.status).toBe(200);
    expect(securityHeadersOf(res)).toEqual(EXPECTED_HEADERS);
    expect(res.headers.get("cache-control")).toBeNull();
    expect(res.headers.get("last-modified")).toBeTruthy();
  });

  it("sends the set once, with no-store, on app answers that pass the static routes", async () => {
    for (const path of ["/login", "/vendor/missing.js"]) {
      const res = await fetch(server.origin + path);
      expect(res.status).toBe(path === "/login" ? 200 : 404);
      expect(securityHeadersOf(res)).toEqual(EXPECTED_HEADERS);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    expect((await fetch(`${server.origin}/_headers`)).status).toBe(404);
  });
});

describe("no answer of the app is stored by a browser or a cache", () => {
  const NO_STORE = "no-store";

  it("signed-in pages and fragments: the list, a task, its edit form, settings, the dev mailbox", async () => {
    const { browser, email } = await signedIn(t);
    const id = await browser.createTask({ title: `Private ${crypto.randomUUID().slice(0, 8)}`, notes: "my secret notes" });
    await t.mailer.sendBatch([{ From: "a@b.c", To: email, Subject: "Private mail", HtmlBody: "<p>hi</p>", TextBody: "hi", MessageStream: "outbound", Headers: [] }]);
    const [mail] = await mailbox(browser);
    const answers: [string, Response][] = [
      ["list", await browser.get("/tasks")],
      ["list fragment", await browser.get("/tasks?q=Private", { htmx: true })],
      ["task page", await browser.get(`/tasks/${id}`)],
      ["edit fragment", await browser.get(`/tasks/${id}/edit`, { htmx: true })],
      ["delete confirmation", await browser.get(`/tasks/${id}/delete`)],
      ["settings", await browser.get("/settings")],
      ["mailbox", await browser.get("/dev/mailbox")],
      ["a mail", await browser.get(`/dev/mailbox/${mail!.id}`)],
      ["complete fragment", await browser.post(`/tasks/${id}/complete`, {}, { htmx: true })],
    ];
    for (const [name, res] of answers) {
      expect(res.status, name).toBe(200);
      expect(res.headers.get("cache-control"), name).toBe(NO_STORE);
    }
  });

  it("the email action and unsubscribe pages, which carry signed tokens", async () => {
    const { browser, userId } = await signedIn(t);
    const id = await browser.createTask({ title: `Linked ${crypto.randomUUID().slice(0, 8)}`, due_date: "2026-06-16" });
    const signer = await emailSigner(t.database.db, undefined);
    const action = await actionToken(signer, "tomorrow", id, userId, t.clock.now());
    const unsubscribe = await unsubscribeToken(signer, userId);
    const answers = [
      await t.browser().get(`/email/action?token=${action}`),
      await t.browser().post("/email/action", { token: action }),
      await t.browser().get(`/email/unsubscribe?token=${unsubscribe}`),
      await t.browser().post(`/email/unsubscribe?token=${unsubscribe}`),
      await t.browser().get("/email/action?token=forged"),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 400]);
    for (const res of answers) expect(res.headers.get("cache-control")).toBe(NO_STORE);
  });

  it("public pages, redirects and errors alike", async () => {
    const answers = [
      await t.browser().get("/login"),
      await t.browser().get("/register"),
      await t.browser().get("/tasks"),
      await t.browser().get("/no/such/page"),
      await t.browser(uniqueIp()).post("/login", { email: uniqueEmail(), password: "nope" }),
      await t.browser().get("/healthz"),
    ];
    expect(answers.map((res) => res.status)).toEqual([200, 200, 303, 404, 422, 200]);
    for (const res of answers) expect(res.headers.get("cache-control")).toBe(NO_STORE);
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
