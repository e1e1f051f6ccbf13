import { describe, expect, it } from "vitest";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { latestLink, mailTo, sessionCount, userByEmail } from "./support/account-links.js";
import { makeTestApp, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const NEW_PASSWORD = "a brand new passphrase";

/** Someone with an account, signed in on one browser. */
async function owner() {
  const phone = t.browser(uniqueIp());
  const account = await phone.register();
  return { phone, ...account };
}

describe("password reset", () => {
  it("links to the reset form from the login page", async () => {
    const page = await (await t.browser().get("/login")).text();
    expect(page).toContain('href="/forgot"');
    expect(textOf(page)).toContain("Forgot your password?");
    const forgot = await t.browser().get("/forgot");
    expect(forgot.status).toBe(200);
    expect(await forgot.text()).toMatch(/<input[^>]*name="email"/);
  });

  it("mails a single-use link; a new password ends every session and works for logging in", async () => {
    const { phone, email, password } = await owner();
    const laptop = t.browser(uniqueIp());
    expect((await laptop.post("/login", { email, password })).status).toBe(303);

    const b = t.browser(uniqueIp());
    const res = await b.post("/forgot", { email });
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("If an account uses that address, we sent a link to reset its password. It works for 1 hour.");

    const mails = await mailTo(t, email);
    const mail = mails.find((m) => m.subject === "Reset your SmartTask password");
    expect(mail, "the reset mail").toBeDefined();
    expect(mail!.htmlBody).toContain("/reset/");
    expect(mail!.messageStream).toBe("outbound");
    const link = (await latestLink(t, email, "/reset/"))!;
    expect(link).toMatch(/^\/reset\/[0-9a-f]{40}\.[0-9a-f]{64}$/);

    const form = await b.get(link);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toMatch(/<input[^>]*name="password"/);
    expect(html).toContain(`action="${link}"`);

    const done = await b.post(link, { password: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(location(done)).toBe("/reset/done");
    const after = await b.get("/reset/done");
    expect(textOf(await after.text())).toContain("Your password was changed and every device was signed out. Log in with the new password.");

    // Every earlier session is gone: both browsers are sent to log in.
    for (const earlier of [phone, laptop]) {
      const tasks = await earlier.get("/tasks");
      expect(tasks.status).toBe(303);
      expect(location(tasks)).toMatch(/^\/login/);
    }
    const user = (await userByEmail(t, email))!;
    expect(await sessionCount(t, user.id)).toBe(0);

    // The old password no longer works; the new one does.
    expect((await t.browser(uniqueIp()).post("/login", { email, password })).status).toBe(422);
    const back = t.browser(uniqueIp());
    expect(location(await back.post("/login", { email, password: NEW_PASSWORD }))).toBe("/today");
    expect((await back.get("/tasks")).status).toBe(200);

    // The owner is told.
    const notices = (await mailTo(t, email)).filter((m) => m.subject === "Your SmartTask password was changed");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.textBody).toContain("reset link");
  });

  it("verifies the address, since the link was mailed to it", async () => {
    const b = t.browser(uniqueIp());
    const { email } = await b.register({ verified: false });
    expect((await userByEmail(t, email))!.emailVerifiedAt).toBeNull();
    await t.browser(uniqueIp()).post("/forgot", { email });
    const link = (await latestLink(t, email, "/reset/"))!;
    expect((await t.browser(uniqueIp()).post(link, { password: NEW_PASSWORD })).status).toBe(303);
    expect((await userByEmail(t, email))!.emailVerifiedAt).toEqual(t.clock.now());
  });

  it("keeps an address verified earlier as it was", async () => {
    const { email } = await owner();
    const before = (await userByEmail(t, email))!.emailVerifiedAt;
    t.clock.advance(60_000);
    await t.browser(uniqueIp()).post("/forgot", { email: `  ${email.toUpperCase()} ` });
    const link = (await latestLink(t, email, "/reset/"))!;
    expect((await t.browser(uniqueIp()).post(link, { password: NEW_PASSWORD })).status).toBe(303);
    expect((await userByEmail(t, email))!.emailVerifiedAt).toEqual(before);
  });
});
