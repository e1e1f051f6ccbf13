import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { PasswordHasherBusy, type PasswordHasher } from "../src/auth/password.js";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { latestLink } from "./support/account-links.js";
import { APP_URL, Browser, makeTestApp, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const NEW_PASSWORD = "a brand new passphrase";

async function resetLink() {
  const { email, password } = await t.browser(uniqueIp()).register();
  await t.browser(uniqueIp()).post("/forgot", { email });
  return { email, password, link: (await latestLink(t, email, "/reset/"))! };
}

describe("forgot password form", () => {
  it("asks again for an empty address (422)", async () => {
    for (const email of ["", "   "]) {
      const res = await t.browser(uniqueIp()).post("/forgot", { email });
      expect(res.status).toBe(422);
      const page = await res.text();
      expect(textOf(page)).toContain("Enter your email address.");
      expect(page).toMatch(/<input[^>]*aria-invalid="true"/);
    }
  });

  it("answers a form without the field, or an absurd one, like any other", async () => {
    expect((await t.browser(uniqueIp()).post("/forgot", {})).status).toBe(422);
    const res = await t.browser(uniqueIp()).post("/forgot", { email: "x".repeat(60_000) });
    expect(res.status).toBe(200);
    const nul = await t.browser(uniqueIp()).post("/forgot", { email: "a\u0000b@example.com" });
    expect(nul.status).toBe(200);
  });
});

describe("reset form", () => {
  it("refuses a password against the rules with 422, and the link still works after", async () => {
    const { email, link } = await resetLink();
    const b = t.browser(uniqueIp());
    for (const [password, message] of [
      ["short", "Use at least 8 characters."],
      ["x".repeat(129), "Use at most 128 characters."],
      ["password123", "That password is among the most common ones"],
    ] as const) {
      const res = await b.post(link, { password });
      expect(res.status, password).toBe(422);
      const page = await res.text();
      expect(textOf(page)).toContain(message);
      expect(page).toMatch(/<input[^>]*name="password"[^>]*aria-invalid="true"/);
      // The password typed is not put back into the page.
      expect(page).not.toContain(`value="${password}"`);
    }
    expect(location(await b.post(link, { password: NEW_PASSWORD }))).toBe("/reset/done");
    expect(location(await t.browser(uniqueIp()).post("/login", { email, password: NEW_PASSWORD }))).toBe("/today");
  });

  it("answers 503 when no password can be hashed now, and the link still works after", async () => {
    const busy: PasswordHasher = {
      hash: () => Promise.reject(new PasswordHasherBusy(3)),
      verify: () => Promise.reject(new PasswordHasherBusy(3)),
      burn: () => Promise.reject(new PasswordHasherBusy(3)),
    };
    const app = createApp({
      database: t.database,
      clock: t.clock,
      mailer: t.mailer,
      config: { appUrl: new URL(APP_URL) },
      passwords: busy,
      clientIp: () => uniqueIp(),
    });
    const { email, link } = await resetLink();
    const res = await new Browser(app, new URL(APP_URL).origin).post(link, { password: NEW_PASSWORD });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(location(await t.browser(uniqueIp()).post(link, { password: NEW_PASSWORD }))).toBe("/reset/done");
    expect(location(await t.browser(uniqueIp()).post("/login", { email, password: NEW_PASSWORD }))).toBe("/today");
  });

  it("shows the page after a reset on its own", async () => {
    const res = await t.browser().get("/reset/done");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('action="/login"');
    expect(textOf(page)).toContain("Log in with the new password");
  });
});
