import { describe, expect, it } from "vitest";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { latestLink, mailTo, sessionCount, userByEmail } from "./support/account-links.js";
import { makeTestApp, textOf, uniqueEmail } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const NEW_PASSWORD = "a brand new passphrase";

/** The undo link's page, seen by whoever holds the old address. */
const owner7days = (undo: string) => t.browser(uniqueIp()).get(undo);
const logsIn = async (email: string, password: string) => location(await t.browser(uniqueIp()).post("/login", { email, password })) === "/today";

describe("change password", () => {
  it("asks for the current password, ends every other session and keeps this one", async () => {
    const here = t.browser(uniqueIp());
    const { email, password } = await here.register();
    const elsewhere = t.browser(uniqueIp());
    expect(location(await elsewhere.post("/login", { email, password }))).toBe("/today");

    const form = await here.get("/settings/password");
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toMatch(/<input[^>]*name="current_password"/);
    expect(html).toMatch(/<input[^>]*name="password"/);
    expect(await (await here.get("/settings")).text()).toContain('href="/settings/password"');

    const res = await here.post("/settings/password", { current_password: password, password: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/settings/password?changed=1");
    expect(textOf(await (await here.get(location(res)!)).text())).toContain("Your password was changed. Every other device was signed out");

    expect((await here.get("/tasks")).status).toBe(200);
    expect(location(await elsewhere.get("/tasks"))).toMatch(/^\/login/);
    expect(await sessionCount(t, (await userByEmail(t, email))!.id)).toBe(1);
    expect(await logsIn(email, password)).toBe(false);
    expect(await logsIn(email, NEW_PASSWORD)).toBe(true);
    const notice = (await mailTo(t, email)).find((m) => m.subject === "Your SmartTask password was changed");
    expect(notice?.textBody).toContain("settings page");
    expect(notice?.textBody).toContain("/forgot");
  });
});

describe("change email", () => {
  it("changes nothing until the new address confirms, then tells the old one with an undo link", async () => {
    const b = t.browser(uniqueIp());
    const { email: old, password } = await b.register();
    const user = (await userByEmail(t, old))!;
    const fresh = uniqueEmail();

    const form = await b.get("/settings/email");
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toMatch(/<input[^>]*name="email"/);
    expect(html).toMatch(/<input[^>]*name="current_password"/);

    const typed = `  ${fresh.toUpperCase()} `;
    const res = await b.post("/settings/email", { email: typed, current_password: password });
    expect(res.status).toBe(303);
    const sent = await b.get(location(res)!);
    expect(textOf(await sent.text())).toContain(`We sent a confirmation link to ${fresh}.`);

    // Nothing changed yet.
    expect((await userByEmail(t, old))?.id).toBe(user.id);
    expect(await userByEmail(t, fresh)).toBeNull();
    expect(await logsIn(old, password)).toBe(true);

    const confirm = (await latestLink(t, fresh, "/email-change/confirm/"))!;
    expect(confirm).toMatch(/^\/email-change\/confirm\/[0-9a-f]{40}\.[0-9a-f]{64}$/);
    // Opening the link shows a button and still changes nothing (mail scanners open links).
    const page = await t.browser().get(confirm);
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(textOf(pageHtml)).toContain(fresh);
    expect(pageHtml).toContain(`action="${confirm}"`);
    expect((await userByEmail(t, old))?.id).toBe(user.id);

    // The button: works without signing in, from whatever browser opened the mail.
    t.clock.advance(60_000);
    const done = await t.browser(uniqueIp()).post(confirm);
    expect(done.status).toBe(303);
    expect(location(done)).toBe("/email-change/confirmed");
    expect(textOf(await (await t.browser().get("/email-change/confirmed")).text())).toContain("Your new address is confirmed");

    const moved = (await userByEmail(t, fresh))!;
    expect(moved.id).toBe(user.id);
    expect(moved.emailVerifiedAt).toEqual(t.clock.now());
    expect(await userByEmail(t, old)).toBeNull();
    expect(await logsIn(fresh, password)).toBe(true);
    expect(await logsIn(old, password)).toBe(false);
    // The session that asked is still signed in, now showing the new address.
    expect(textOf(await (await b.get("/settings/email")).text())).toContain(`Your address is ${fresh}`);

    const told = (await mailTo(t, old)).find((m) => m.subject === "Your SmartTask address was changed");
    expect(told?.textBody).toContain(`changed from ${old} to ${fresh}`);
    expect(await latestLink(t, old, "/email-change/undo/")).toMatch(/^\/email-change\/undo\/[0-9a-f]{40}\.[0-9a-f]{64}$/);
  });

  it("the address moved away from stays held for its undo: nobody can register it for 7 days", async () => {
    const b = t.browser(uniqueIp());
    const { email: old, password } = await b.register();
    const fresh = uniqueEmail();
    await b.post("/settings/email", { email: fresh, current_password: password });
    await t.browser(uniqueIp()).post((await latestLink(t, fresh, "/email-change/confirm/"))!);
    expect(await userByEmail(t, old)).toBeNull();

    const squatter = t.browser(uniqueIp());
    const refused = await squatter.post("/register", { name: "Squatter", email: old, password: "another long passphrase", timezone: "UTC" });
    expect(refused.status).toBe(422);
    expect(textOf(await refused.text())).toContain("We could not create an account with that address");
    expect(await userByEmail(t, old)).toBeNull();
    expect(squatter.cookies.size === 0 || ![...squatter.cookies.keys()].some((k) => k.includes("session"))).toBe(true);

    // The undo still works, and once its 7 days are over the address is free again.
    const undo = (await latestLink(t, old, "/email-change/undo/"))!;
    t.clock.advance(7 * 24 * 60 * 60_000 + 60_000);
    expect((await owner7days(undo)).status).toBe(410);
    const later = await t.browser(uniqueIp()).post("/register", { name: "Later", email: old, password: "another long passphrase", timezone: "UTC" });
    expect(later.status).toBe(303);
  });

  it("undo within 7 days restores the old address and ends every session", async () => {
    const b = t.browser(uniqueIp());
    const { email: old, password } = await b.register();
    const user = (await userByEmail(t, old))!;
    const fresh = uniqueEmail();
    await b.post("/settings/email", { email: fresh, current_password: password });
    await t.browser(uniqueIp()).post((await latestLink(t, fresh, "/email-change/confirm/"))!);
    const undo = (await latestLink(t, old, "/email-change/undo/"))!;

    t.clock.advance(6 * 24 * 60 * 60_000);
    const owner = t.browser(uniqueIp());
    const page = await owner.get(undo);
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain(`Restore ${old}`);
    expect((await userByEmail(t, fresh))?.id).toBe(user.id);

    const res = await owner.post(undo);
    expect(res.status).toBe(303);
    expect(location(res)).toBe("/email-change/restored");
    const restored = await owner.get("/email-change/restored");
    const restoredHtml = await restored.text();
    expect(textOf(restoredHtml)).toContain("Reset your password now");
    expect(restoredHtml).toContain('href="/forgot"');

    const back = (await userByEmail(t, old))!;
    expect(back.id).toBe(user.id);
    expect(back.emailVerifiedAt).toEqual(t.clock.now());
    expect(await userByEmail(t, fresh)).toBeNull();
    expect(location(await b.get("/tasks"))).toMatch(/^\/login/);
    expect(await sessionCount(t, user.id)).toBe(0);

    // The owner takes the account back through a reset to the restored address.
    await t.browser(uniqueIp()).post("/forgot", { email: old });
    const reset = (await latestLink(t, old, "/reset/"))!;
    expect(location(await owner.post(reset, { password: NEW_PASSWORD }))).toBe("/reset/done");
    expect(await logsIn(old, NEW_PASSWORD)).toBe(true);
  });
});
