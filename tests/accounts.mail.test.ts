import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pruneAccountData } from "../src/accounts/housekeeping.js";
import { ACCOUNT_MAIL_MAX_ATTEMPTS, ACCOUNT_MAIL_RETRY_MS, mailNow, queueAccountMail, sendAccountMail, type AccountMail, type MailDeps } from "../src/accounts/mail.js";
import { composeAccountMessage } from "../src/accounts/message.js";
import { claimAccountMail } from "../src/db/account-mail.js";
import { accountMail } from "../src/db/schema.js";
import { MAX_BATCH } from "../src/email/mailer.js";
import { createPostmarkMailer } from "../src/email/postmark-mailer.js";
import { runReminderJobs } from "../src/entries/reminder-jobs.js";
import { postmarkFixture } from "./support/postmark-fixture.js";
import { jobDeps } from "./support/reminder-jobs.js";
import { makeTestApp, TestClock, uniqueEmail } from "./support/test-app.js";

// Account mail (verification, reset, notices) through the official Postmark client to a local
// stand-in: what is sent, what a failure leaves, the sweep that retries, and the clean-up.
//
// On the real PostgreSQL server every test file shares one database and a send without ids sweeps
// every due row, so these tests keep to their own years: 1995 (after the only other sweep in the
// suite, auth.ratelimit's hourly job in 1985, and before anything else) and 1975 for this file's
// own hourly job, whose clean-ups then reach nobody else's rows.
const t = await makeTestApp({ now: "1995-05-01T10:00:00Z" });
const pm = postmarkFixture(t);

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
let era = Date.parse("1995-05-01T10:00:00Z");
/** A moment of its own for each test, days apart, so no test's retries fall due in another's sweep. */
const nextMoment = () => new Date((era += 10 * DAY));

function mailTo(to: string, purpose = "verify"): AccountMail {
  const url = `https://smarttask.test/verify/${crypto.randomUUID()}`;
  return {
    userId: null,
    purpose,
    to,
    message: composeAccountMessage({
      subject: "Confirm your email address",
      paragraphs: ["Please confirm that this address is yours."],
      action: { label: "Confirm my address", url },
      footnote: "If you did not create a SmartTask account, ignore this mail.",
    }),
  };
}

async function queued(now: Date, count = 1, purpose = "verify") {
  const emails = Array.from({ length: count }, () => uniqueEmail());
  const ids = await queueAccountMail(t.database.db, emails.map((e) => mailTo(e, purpose)), now);
  return { emails, ids };
}

const rowsOf = (ids: string[]) => t.database.db.select().from(accountMail).where(inArray(accountMail.id, ids));
const sentTo = (email: string) => pm.standin.delivered.filter((m) => m.To === email);
const triedTo = (email: string) => pm.standin.requests.flat().filter((m) => m.To === email);

describe("a queued account mail goes out through Postmark", () => {
  it("on the transactional stream, with a text and an HTML part, tagged by purpose, without unsubscribe headers; the row is deleted", async () => {
    const now = nextMoment();
    const { emails, ids } = await queued(now, 1, "reset");
    // The reminders' broadcast stream is configured; account mail must not use it.
    const res = await sendAccountMail(pm.postmark({ messageStream: "reminders" }), now, ids);
    expect(res).toEqual({ sent: 1, retrying: 0, failed: 0 });

    const [message] = sentTo(emails[0]!);
    expect(message).toBeDefined();
    expect(message!.MessageStream).toBe("outbound");
    expect(message!.Tag).toBe("account-reset");
    expect(message!.Subject).toBe("Confirm your email address");
    expect(message!.TextBody).toMatch(/Confirm my address: https:\/\/smarttask\.test\/verify\//);
    expect(message!.HtmlBody).toMatch(/<a href="https:\/\/smarttask\.test\/verify\/[^"]+"/);
    expect((message!.Headers ?? []).map((h) => h.Name.toLowerCase())).not.toContain("list-unsubscribe");
    expect(await rowsOf(ids)).toEqual([]);
    expect(pm.standin.violations).toEqual([]);
  });

  it("honours a configured transactional stream", async () => {
    const now = nextMoment();
    const { emails, ids } = await queued(now);
    const mailer = createPostmarkMailer({ serverToken: pm.standin.token, apiUrl: pm.standin.url, timeoutSeconds: 1 });
    await sendAccountMail(jobDeps(t, mailer, { transactionalStream: "account-mail" }), now, ids);
    expect(sentTo(emails[0]!).map((m) => m.MessageStream)).toEqual(["account-mail"]);
  });

  it("is sent right after queuing (mailNow), at the app's clock, not the machine's", async () => {
    // Far ahead of the machine's clock: a send dated by `new Date()` would find the row not yet due.
    const clock = new TestClock(new Date("2090-03-01T09:00:00Z"));
    const running: Promise<unknown>[] = [];
    const deps: MailDeps = { ...pm.postmark(), clock, background: (work) => void running.push(work()) };
    const email = uniqueEmail();
    await mailNow(deps, [mailTo(email)], clock.now());
    expect(running).toHaveLength(1);
    await Promise.all(running);
    expect(sentTo(email)).toHaveLength(1);
  });

  it("fails an address Postmark refuses (ErrorCode 300 for that message) at once, without retrying it", async () => {
    const now = nextMoment();
    const { emails, ids } = await queued(now, 2);
    pm.standin.respondWith({ kind: "per-message", errorCode: (m) => (m.To === emails[0] ? 300 : 0) });
    expect(await sendAccountMail(pm.postmark(), now, ids)).toEqual({ sent: 1, retrying: 0, failed: 1 });
    const [row] = await rowsOf(ids);
    expect(row).toMatchObject({ id: ids[0], status: "failed", attempts: 1 });
    expect(row!.lastError).toContain("300");

    pm.standin.respondWith({ kind: "accept" });
    await sendAccountMail(pm.postmark(), new Date(now.getTime() + DAY));
    expect(triedTo(emails[0]!)).toHaveLength(1);
    expect(sentTo(emails[1]!)).toHaveLength(1);
  });
});

describe("trouble at Postmark: the row waits and the sweep sends it", () => {
  for (const [what, behaviour] of [
    ["an HTTP 500", { kind: "status", status: 500, errorCode: 0, message: "Internal Server Error" }],
    ["a timeout", { kind: "hang" }],
  ] as const) {
    it(`${what} leaves it pending until its retry time; the sweep then sends it once`, async () => {
      const now = nextMoment();
      const { emails, ids } = await queued(now);
      pm.standin.respondWith(behaviour);
      expect(await sendAccountMail(pm.postmark(), now, ids)).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const [row] = await rowsOf(ids);
      const retryAt = new Date(now.getTime() + ACCOUNT_MAIL_RETRY_MS[0]!);
      expect(row).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: retryAt, leaseUntil: null });
      expect(row!.lastError).toMatch(what === "a timeout" ? /Postmark request failed/ : /HTTP 500/);

      pm.standin.respondWith({ kind: "accept" });
      // A sweep a second early leaves it alone.
      expect(await sendAccountMail(pm.postmark(), new Date(retryAt.getTime() - 1000))).toMatchObject({ sent: 0 });
      expect(triedTo(emails[0]!)).toHaveLength(1);

      expect(await sendAccountMail(pm.postmark(), retryAt)).toMatchObject({ sent: 1 });
      expect(sentTo(emails[0]!)).toHaveLength(1);
      expect(await rowsOf(ids)).toEqual([]);
      await sendAccountMail(pm.postmark(), new Date(retryAt.getTime() + DAY));
      expect(triedTo(emails[0]!)).toHaveLength(2);
    });
  }

  it(`gives up after ${ACCOUNT_MAIL_MAX_ATTEMPTS} attempts, keeps the failed row a week for operators, then deletes it`, async () => {
    const queuedAt = nextMoment();
    const { emails, ids } = await queued(queuedAt);
    pm.standin.respondWith({ kind: "status", status: 500, errorCode: 0, message: "Internal Server Error" });

    let now = queuedAt;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= ACCOUNT_MAIL_MAX_ATTEMPTS; attempt++) {
      expect(await sendAccountMail(pm.postmark(), now)).toMatchObject({ sent: 0 });
      const [row] = await rowsOf(ids);
      expect(row!.attempts).toBe(attempt);
      if (attempt < ACCOUNT_MAIL_MAX_ATTEMPTS) {
        expect(row!.status).toBe("pending");
        waits.push(row!.nextAttemptAt.getTime() - now.getTime());
        now = row!.nextAttemptAt;
      } else {
        expect(row!.status).toBe("failed");
      }
    }
    expect(waits).toEqual(ACCOUNT_MAIL_RETRY_MS);
    expect(triedTo(emails[0]!)).toHaveLength(ACCOUNT_MAIL_MAX_ATTEMPTS);

    pm.standin.respondWith({ kind: "accept" });
    await sendAccountMail(pm.postmark(), new Date(now.getTime() + DAY));
    expect(triedTo(emails[0]!)).toHaveLength(ACCOUNT_MAIL_MAX_ATTEMPTS);

    await pruneAccountData(t.database.db, new Date(queuedAt.getTime() + 7 * DAY - MINUTE));
    expect(await rowsOf(ids)).toHaveLength(1);
    const pruned = await pruneAccountData(t.database.db, new Date(queuedAt.getTime() + 7 * DAY + MINUTE));
    expect(pruned.accountMailPruned).toBeGreaterThanOrEqual(1);
    expect(await rowsOf(ids)).toEqual([]);
  });
});

describe("more than one batch", () => {
  it(`sends every named row when a request names more than Postmark takes at once (${MAX_BATCH})`, async () => {
    const now = nextMoment();
    const { emails, ids } = await queued(now, MAX_BATCH + 1);
    expect(await sendAccountMail(pm.postmark(), now, ids)).toMatchObject({ sent: MAX_BATCH + 1 });
    expect(pm.standin.requests.map((r) => r.length)).toEqual([MAX_BATCH, 1]);
    expect(sentTo(emails.at(-1)!)).toHaveLength(1);
    expect(await rowsOf(ids)).toEqual([]);
  });
});

describe("never twice", () => {
  it("two concurrent senders (and a request's own send) deliver each row exactly once", async () => {
    const now = nextMoment();
    const { emails, ids } = await queued(now, 40);
    const results = await Promise.all([
      sendAccountMail(pm.postmark(), now),
      sendAccountMail(pm.postmark(), now),
      sendAccountMail(pm.postmark(), now, ids.slice(0, 20)),
      sendAccountMail(pm.postmark(), now, ids),
    ]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(40);
    for (const email of emails) expect(triedTo(email), email).toHaveLength(1);
    expect(await rowsOf(ids)).toEqual([]);
  });

  it("leaves a row another sender holds alone until its lease runs out (that sender died), then sends it once", async () => {
    const now = nextMoment();
    const { emails, ids } = await queued(now);
    // A sender claims the row and dies before recording anything.
    expect(await claimAccountMail(t.database.db, now, 10, ids)).toHaveLength(1);

    expect(await sendAccountMail(pm.postmark(), new Date(now.getTime() + MINUTE))).toMatchObject({ sent: 0 });
    expect(triedTo(emails[0]!)).toHaveLength(0);

    expect(await sendAccountMail(pm.postmark(), new Date(now.getTime() + 3 * MINUTE))).toMatchObject({ sent: 1 });
    await sendAccountMail(pm.postmark(), new Date(now.getTime() + DAY));
    expect(triedTo(emails[0]!)).toHaveLength(1);
    expect(await rowsOf(ids)).toEqual([]);
  });
});

describe("the Node hourly job", () => {
  it("sends account mail left pending (a send right after the request that failed)", async () => {
    const now = new Date("1975-02-01T10:00:00Z");
    const { emails, ids } = await queued(now, 1, "password-changed");
    pm.standin.respondWith({ kind: "status", status: 503, errorCode: 0, message: "Service Unavailable" });
    await sendAccountMail(pm.postmark(), now, ids);
    expect(await rowsOf(ids)).toHaveLength(1);

    pm.standin.respondWith({ kind: "accept" });
    await runReminderJobs(pm.postmark(), new Date(now.getTime() + 60 * MINUTE));
    expect(sentTo(emails[0]!).map((m) => m.Tag)).toEqual(["account-password-changed"]);
    expect(await rowsOf(ids)).toEqual([]);
  });
});
