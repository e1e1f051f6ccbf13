import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { ACCOUNT_LIMITS } from "../src/auth/account-limits.js";
import { loadArgon2ForNode } from "../src/auth/argon2-node.js";
import { createPasswordHasher } from "../src/auth/password.js";
import { newAccountToken } from "../src/accounts/tokens.js";
import { insertAccountToken } from "../src/db/account-tokens.js";
import { accountTokens, reminderOutbox } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { location, uniqueIp } from "./support/auth-helpers.js";
import { latestLink, mailTo, sessionCount, userByEmail } from "./support/account-links.js";
import { jobDeps } from "./support/reminder-jobs.js";
import { APP_URL, Browser, makeTestApp, settled, textOf, uniqueEmail } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const NEW_PASSWORD = "a brand new passphrase";
const MINUTE = 60_000;
const RESET_SUBJECT = "Reset your SmartTask password";
const SENT = "If an account uses that address, we sent a link to reset its password. It works for 1 hour.";

async function resetLinkFor(email: string) {
  expect((await t.browser(uniqueIp()).post("/forgot", { email })).status).toBe(200);
  return latestLink(t, email, "/reset/");
}

describe("forgot password tells nothing about the address", () => {
  it("answers a known, an unknown and a malformed address with the same status, headers and page; mails only the known one", async () => {
    const { email: known } = await t.browser(uniqueIp()).register();
    const unknown = uniqueEmail();
    const b = t.browser(uniqueIp());
    const answers = [];
    for (const email of [known, unknown, "not an address"]) {
      const res = await b.post("/forgot", { email });
      answers.push({ status: res.status, type: res.headers.get("content-type"), body: await res.text() });
    }
    expect(answers[0]!.status).toBe(200);
    expect(textOf(answers[0]!.body)).toContain(SENT);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    // The typed address is not echoed back.
    expect(answers[0]!.body).not.toContain(known);

    expect((await mailTo(t, known)).map((m) => m.subject)).toContain(RESET_SUBJECT);
    expect(await mailTo(t, unknown)).toEqual([]);
  });

  it("answers before looking the address up: the request itself does the same work for any address", async () => {
    // The same app, but the work left for after the response waits until the test runs it.
    const waiting: (() => Promise<unknown>)[] = [];
    const app = createApp({
      database: t.database,
      clock: t.clock,
      mailer: t.mailer,
      config: { appUrl: new URL(APP_URL) },
      passwords: createPasswordHasher(loadArgon2ForNode),
      clientIp: (c) => c.req.header("x-test-client-ip") ?? "127.0.0.1",
      background: (work) => void waiting.push(work),
    });
    const { email: known } = await t.browser(uniqueIp()).register();
    const user = (await userByEmail(t, known))!;
    const b = new Browser(app, new URL(APP_URL).origin, uniqueIp());
    // Nothing else runs on the handle while the statements are counted.
    await settled();

    const statements = async (email: string) => {
      const before = t.database.roundTrips();
      const res = await b.post("/forgot", { email });
      expect(res.status).toBe(200);
      return t.database.roundTrips() - before;
    };
    expect(await statements(known)).toBe(await statements(uniqueEmail()));
    // Answered, and no link exists yet: it is made after the response.
    const resetTokens = async () =>
      (await t.database.db.select().from(accountTokens).where(eq(accountTokens.userId, user.id))).filter((r) => r.purpose === "reset");
    expect(await resetTokens()).toEqual([]);
    for (const work of waiting.splice(0)) await work();
    expect(await resetTokens()).toHaveLength(1);
    expect(await latestLink(t, known, "/reset/")).toMatch(/^\/reset\//);
  });

  it("limits requests per network with a 429 and Retry-After, the same for any address", async () => {
    const b = t.browser(uniqueIp());
    for (let i = 0; i < ACCOUNT_LIMITS.reset.network.max; i++) expect((await b.post("/forgot", { email: uniqueEmail() })).status).toBe(200);
    const { email: known } = await t.browser(uniqueIp()).register();
    const refused = [];
    for (const email of [known, uniqueEmail()]) {
      const res = await b.post("/forgot", { email });
      refused.push({ status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.text() });
    }
    expect(refused[0]!.status).toBe(429);
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(0);
    expect(textOf(refused[0]!.body)).toContain("Too many reset requests from your network");
    expect(refused[1]).toEqual(refused[0]);
    expect((await mailTo(t, known)).filter((m) => m.subject === RESET_SUBJECT)).toEqual([]);
    // Another network is not affected.
    expect((await t.browser(uniqueIp()).post("/forgot", { email: known })).status).toBe(200);
  });

  it("past the per-address limit answers the same page but sends no more mail", async () => {
    const { email } = await t.browser(uniqueIp()).register();
    const max = ACCOUNT_LIMITS.reset.address.max;
    for (let i = 0; i < max + 2; i++) {
      const res = await t.browser(uniqueIp()).post("/forgot", { email });
      expect(res.status).toBe(200);
      expect(textOf(await res.text())).toContain(SENT);
    }
    expect((await mailTo(t, email)).filter((m) => m.subject === RESET_SUBJECT)).toHaveLength(max);
    // An hour later the address may ask again.
    t.clock.advance(61 * MINUTE);
    await t.browser(uniqueIp()).post("/forgot", { email });
    expect((await mailTo(t, email)).filter((m) => m.subject === RESET_SUBJECT)).toHaveLength(max + 1);
  });
});

describe("reset links", () => {
  it("work once", async () => {
    const { email } = await t.browser(uniqueIp()).register();
    const link = (await resetLinkFor(email))!;
    expect((await t.browser(uniqueIp()).post(link, { password: NEW_PASSWORD })).status).toBe(303);
    const again = t.browser(uniqueIp());
    for (const res of [await again.get(link), await again.post(link, { password: "yet another passphrase" })]) {
      expect(res.status).toBe(410);
      const page = await res.text();
      expect(textOf(page)).toContain("This link was already used");
      expect(page).toContain('href="/forgot"');
    }
    // The second try changed nothing.
    expect(location(await t.browser(uniqueIp()).post("/login", { email, password: NEW_PASSWORD }))).toBe("/today");
  });

  it("expire after 1 hour", async () => {
    const { email, password } = await t.browser(uniqueIp()).register();
    const link = (await resetLinkFor(email))!;
    t.clock.advance(59 * MINUTE);
    expect((await t.browser(uniqueIp()).get(link)).status).toBe(200);
    t.clock.advance(1 * MINUTE);
    const b = t.browser(uniqueIp());
    const res = await b.post(link, { password: NEW_PASSWORD });
    expect(res.status).toBe(410);
    expect(textOf(await res.text())).toContain("This link has expired");
    expect((await b.get(link)).status).toBe(410);
    expect(location(await t.browser(uniqueIp()).post("/login", { email, password }))).toBe("/today");
  });

  it("only the newest link works", async () => {
    const { email } = await t.browser(uniqueIp()).register();
    const first = (await resetLinkFor(email))!;
    t.clock.advance(1000);
    const second = (await resetLinkFor(email))!;
    expect(second).not.toBe(first);
    expect((await t.browser(uniqueIp()).post(first, { password: NEW_PASSWORD })).status).toBe(404);
    expect((await t.browser(uniqueIp()).post(second, { password: NEW_PASSWORD })).status).toBe(303);
  });

  it("refuse a link made for another purpose, a changed secret and junk", async () => {
    const { email, password } = await t.browser(uniqueIp()).register();
    const user = (await userByEmail(t, email))!;
    const verify = await newAccountToken("verify", user.id, email, t.clock.now());
    await insertAccountToken(t.database.db, verify.row);
    const reset = (await resetLinkFor(email))!;
    const tampered = reset.slice(0, -1) + (reset.endsWith("0") ? "1" : "0");
    const b = t.browser(uniqueIp());
    for (const path of [`/reset/${verify.token}`, tampered, "/reset/nonsense", `/reset/${"a".repeat(40)}.${"b".repeat(64)}`]) {
      const res = await b.post(path, { password: NEW_PASSWORD });
      expect(res.status, path).toBe(404);
      expect(textOf(await res.text())).toContain("This link does not work");
      expect((await b.get(path)).status, path).toBe(404);
    }
    // A reset link is no confirmation link either.
    expect((await b.post(reset.replace("/reset/", "/email-change/confirm/"))).status).toBe(404);
    expect(location(await t.browser(uniqueIp()).post("/login", { email, password }))).toBe("/today");
  });
});

describe("someone registered another person's address", () => {
  it("ends with the real owner in control, verified and getting reminders", async () => {
    const victim = uniqueEmail();
    const attacker = t.browser(uniqueIp());
    await attacker.register({ email: victim, password: "attacker knows this", verified: false });
    // The attacker also asks to move the account to an address of theirs; the link is pending.
    const attackerAddress = uniqueEmail();
    expect((await attacker.post("/settings/email", { email: attackerAddress, current_password: "attacker knows this" })).status).toBe(303);
    const pendingChange = (await latestLink(t, attackerAddress, "/email-change/confirm/"))!;
    expect(pendingChange).toBeTruthy();

    // The real owner asks for a reset and sets a password.
    const owner = t.browser(uniqueIp());
    expect((await owner.post("/forgot", { email: victim })).status).toBe(200);
    const link = (await latestLink(t, victim, "/reset/"))!;
    expect((await owner.post(link, { password: NEW_PASSWORD })).status).toBe(303);

    // The attacker's session is gone, their password no longer works, their pending change is void.
    expect(location(await attacker.get("/tasks"))).toMatch(/^\/login/);
    expect((await t.browser(uniqueIp()).post("/login", { email: victim, password: "attacker knows this" })).status).toBe(422);
    expect((await attacker.post(pendingChange)).status).toBe(404);
    const user = (await userByEmail(t, victim))!;
    expect(user.email).toBe(victim);
    expect(user.emailVerifiedAt).not.toBeNull();

    // The owner logs in and gets reminders: the address is verified now.
    expect(location(await owner.post("/login", { email: victim, password: NEW_PASSWORD }))).toBe("/today");
    expect(await sessionCount(t, user.id)).toBe(1);
    const tomorrow = new Date(t.clock.now().getTime() + 24 * 60 * MINUTE).toISOString().slice(0, 10);
    const taskId = await owner.createTask({ title: `Pay rent ${crypto.randomUUID().slice(0, 6)}`, due_date: tomorrow });
    expect(textOf(await (await owner.get(`/tasks/${taskId}`)).text())).not.toContain("None until you confirm your email address");
    await scanReminders(jobDeps(t), t.clock.now());
    const queued = await t.database.db.select().from(reminderOutbox).where(eq(reminderOutbox.userId, user.id));
    expect(queued.length).toBeGreaterThan(0);
  });
});
