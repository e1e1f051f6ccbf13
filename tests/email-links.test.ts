import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadArgon2ForNode } from "../src/auth/argon2-node.js";
import { createPasswordHasher } from "../src/auth/password.js";
import type { Db } from "../src/db/database.js";
import { usedActionTokens, users } from "../src/db/schema.js";
import { actionToken, unsubscribeToken } from "../src/email/links.js";
import { emailSigner } from "../src/email/signing-key.js";
import { createSigner } from "../src/email/signing.js";
import { DAY, MINUTE, rawRequest } from "./support/auth-helpers.js";
import { addTask, isChecked, mailbox, onlyMail, person, runJobs, taskLink, tampered, tokenOf, unsubscribeLink } from "./support/reminder-mail.js";
import { dbTask } from "./support/tasks.js";
import { APP_URL, Browser, makeTestApp, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2021-06-14T12:00:00Z" });
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** A person in `timezone` with tasks due, and the digest a run at `now` sent them. */
async function withDigest(timezone: string, now: string, due: { title: string; due_date: string; due_time?: string }[]) {
  t.clock.set(now);
  const owner = await person(t, timezone);
  const ids = [];
  for (const task of due) ids.push(await addTask(owner.browser, task));
  await runJobs(t);
  return { ...owner, ids, mail: await onlyMail(owner.browser) };
}

const remindersOn = async (userId: string) => (await t.database.db.select().from(users).where(eq(users.id, userId)))[0]!.remindersEnabled;
const pageText = async (res: Response) => textOf(await res.text());

/** Opens a link as a stranger would (no cookies), then posts the page's own form. */
async function confirm(link: string, browser: Browser = t.browser()) {
  const page = await browser.get(link);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = html.match(/<form method="post" action="(\/email\/[^"]*)"/)?.[1]?.replace(/&amp;/g, "&");
  expect(action, "a confirmation form").toBeTruthy();
  const token = html.match(/<input type="hidden" name="token" value="([^"]*)"/)?.[1];
  return browser.post(action!, token ? { token } : {});
}

describe("unsubscribe link", () => {
  it("opens a confirmation page without signing in, and following it changes nothing", async () => {
    const { mail, email, userId, browser } = await withDigest("UTC", "2021-06-14T08:30:00Z", [{ title: "Pay rent", due_date: "2021-06-14" }]);
    const link = unsubscribeLink(mail);
    expect(mail.pageText).toContain(`List-Unsubscribe <http://smarttask.test${link}>`);
    for (let i = 0; i < 2; i++) {
      const res = await t.browser().get(link);
      expect(res.status).toBe(200);
      const text = await pageText(res);
      expect(text).toContain(`Stop all reminder emails to ${email}?`);
      expect(text).toContain("Turn off reminders");
    }
    expect(await remindersOn(userId)).toBe(true);
    expect(isChecked(await (await browser.get("/settings")).text(), "reminders", "on")).toBe(true);
  });

  it("its button turns reminders off; settings show it, and later runs send nothing", async () => {
    const { mail, email, browser } = await withDigest("UTC", "2021-06-14T08:30:00Z", [{ title: "File taxes", due_date: "2021-06-15" }]);
    const res = await confirm(unsubscribeLink(mail));
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain(`Reminders are now off for ${email}.`);
    expect(isChecked(await (await browser.get("/settings")).text(), "reminders", "on")).toBe(false);

    t.clock.set("2021-06-15T08:30:00Z"); // the due day, when another digest would come
    await runJobs(t);
    expect(await mailbox(browser)).toHaveLength(1);
  });

  it("accepts the one-click POST of RFC 8058 (no cookie, no Origin), while other POSTs without Origin stay refused", async () => {
    const { mail, userId, browser, ids } = await withDigest("UTC", "2021-06-14T08:30:00Z", [{ title: "Renew passport", due_date: "2021-06-14" }]);
    const link = unsubscribeLink(mail);

    // Without Origin, everything else is refused, even with the session cookie.
    const cookie = `session=${browser.cookies.get("session")}`;
    const settings = await rawRequest(t, "POST", "/settings", { headers: { ...FORM, cookie }, body: "name=X&timezone=UTC&reminders=off" });
    expect(settings.status).toBe(403);
    const complete = await rawRequest(t, "POST", `/tasks/${ids[0]}/complete`, { headers: { ...FORM, cookie }, body: "" });
    expect(complete.status).toBe(403);
    expect(await remindersOn(userId)).toBe(true);

    const res = await rawRequest(t, "POST", link, { headers: FORM, body: "List-Unsubscribe=One-Click" });
    expect(res.status).toBe(200);
    expect(await remindersOn(userId)).toBe(false);
    expect(isChecked(await (await browser.get("/settings")).text(), "reminders", "on")).toBe(false);
  });

  it.each(["the one-click link", "Settings"])("turned off through %s, reminders already waiting to be sent are not sent", async (how) => {
    t.clock.set("2021-06-14T08:30:00Z");
    const { browser, userId } = await person(t);
    const id = await addTask(browser, { title: "Waiting reminder", due_date: "2021-06-14" });
    await runJobs(t, t.clock.now(), { send: false }); // queued; Postmark might be down and it waits for a retry
    if (how === "Settings") {
      const form = { name: "Ada", timezone: "UTC", reminders: "off", reminder_hour: "8", lead_days_sent: "1", overdue: "on", delivery: "digest" };
      expect((await browser.post("/settings", form)).status).toBe(303);
    } else {
      const token = await unsubscribeToken(await emailSigner(t.database.db, undefined), userId);
      const res = await rawRequest(t, "POST", `/email/unsubscribe?token=${token}`, { headers: FORM, body: "List-Unsubscribe=One-Click" });
      expect(res.status).toBe(200);
    }
    t.clock.advance(5 * MINUTE);
    await runJobs(t);
    expect(await mailbox(browser)).toHaveLength(0);
    // (Shared-database runs of other files may expire it first; either way the page says it was not sent.)
    expect(textOf(await (await browser.get(`/tasks/${id}`)).text())).toMatch(/Daily digest: “1 due today” (failed \()?not sent/);
  });

  it("answers 400 to a tampered or foreign token and changes nothing", async () => {
    const { mail, userId } = await withDigest("UTC", "2021-06-14T08:30:00Z", [{ title: "Water plants", due_date: "2021-06-14" }]);
    const link = unsubscribeLink(mail);
    const foreign = await unsubscribeToken(createSigner("another instance's secret, 32+ characters"), userId);
    const actionAsUnsubscribe = tokenOf(taskLink(mail, mailTaskIds(mail)[0]!, "Mark done"));
    const bad = [tampered(link), `/email/unsubscribe?token=${foreign}`, `/email/unsubscribe?token=${actionAsUnsubscribe}`, "/email/unsubscribe"];
    for (const path of bad) {
      expect((await t.browser().get(path)).status, path).toBe(400);
      expect((await t.browser().post(path)).status, path).toBe(400);
      expect((await rawRequest(t, "POST", path, { headers: FORM, body: "List-Unsubscribe=One-Click" })).status, path).toBe(400);
    }
    expect(await remindersOn(userId)).toBe(true);
  });
});

function mailTaskIds(mail: { html: string }) {
  return [...mail.html.matchAll(/\/tasks\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

describe("action links in a reminder email", () => {
  // Tokyo is 9 hours ahead: at 08:30 there it is still the day before in UTC.
  const RUN = "2021-06-15T23:30:00Z";
  const tokyo = () => withDigest("Asia/Tokyo", RUN, [{ title: "Ship release", due_date: "2021-06-16", due_time: "14:30" }]);

  it("GET opens a confirmation page and changes nothing (a mail scanner following links does nothing)", async () => {
    const { mail, ids } = await tokyo();
    const before = await dbTask(t, ids[0]!);
    const done = await t.browser().get(taskLink(mail, ids[0]!, "Mark done"));
    expect(done.status).toBe(200);
    const doneText = await pageText(done);
    expect(doneText).toContain("Mark this task done?");
    expect(doneText).toContain("Ship release");
    const moved = await t.browser().get(taskLink(mail, ids[0]!, "Move to tomorrow"));
    expect(moved.status).toBe(200);
    expect(await pageText(moved)).toContain("It will be due Thu 17 Jun 2021, 14:30.");
    await t.browser().get(taskLink(mail, ids[0]!, "Mark done"));
    expect(await dbTask(t, ids[0]!)).toEqual(before);
  });

  it("Mark done: the page's button marks the task done, once", async () => {
    const { mail, ids, browser } = await tokyo();
    const link = taskLink(mail, ids[0]!, "Mark done");
    const res = await confirm(link);
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("“Ship release” is done.");
    expect((await dbTask(t, ids[0]!))!.status).toBe("done");
    expect(textOf(await (await browser.get(`/tasks/${ids[0]}`)).text())).toContain("Status Done");

    // Reopened by its owner, the task stays open when the used link is posted again.
    expect((await browser.post(`/tasks/${ids[0]}/reopen`)).status).toBe(303);
    const again = await t.browser().post("/email/action", { token: tokenOf(link) });
    expect(again.status).toBe(409);
    expect(await pageText(again)).toContain("This link was already used");
    expect((await dbTask(t, ids[0]!))!.status).toBe("todo");
    expect((await t.browser().get(link)).status).toBe(409);
  });

  it.each([
    // zone, run at its 08:30, click at, due, moved to (tomorrow where the user is, not in UTC)
    ["Asia/Tokyo", RUN, "2021-06-15T23:45:00Z", ["2021-06-16", "14:30"], "2021-06-17", "2021-06-17T05:30:00.000Z"],
    ["America/Los_Angeles", "2021-06-16T15:30:00Z", "2021-06-17T02:00:00Z", ["2021-06-16", "18:00"], "2021-06-17", "2021-06-18T01:00:00.000Z"],
  ] as const)("Move to tomorrow in %s: tomorrow in the user's zone, same time of day, once", async (zone, run, click, [date, time], newDate, newAt) => {
    const { mail, ids, browser } = await withDigest(zone, run, [{ title: `Call supplier ${zone}`, due_date: date, due_time: time }]);
    t.clock.set(click);
    const link = taskLink(mail, ids[0]!, "Move to tomorrow");
    const res = await confirm(link);
    expect(res.status).toBe(200);
    const moved = await dbTask(t, ids[0]!);
    expect({ date: moved!.dueDate, time: moved!.dueTime?.slice(0, 5), at: moved!.dueAt?.toISOString() }).toEqual({ date: newDate, time, at: newAt });
    expect(textOf(await (await browser.get(`/tasks/${ids[0]}`)).text())).toMatch(new RegExp(`Due .*${Number(newDate.slice(8))} Jun 2021, ${time} \\(tomorrow\\)`));

    // A day later the same link would move it again; it works once.
    t.clock.advance(DAY);
    const again = await t.browser().post("/email/action", { token: tokenOf(link) });
    expect(again.status).toBe(409);
    expect((await dbTask(t, ids[0]!))!.dueDate).toBe(newDate);
  });

  it("expires 7 days after the email was sent", async () => {
    const { mail, ids } = await tokyo();
    const link = taskLink(mail, ids[0]!, "Mark done");
    t.clock.set(new Date(new Date(RUN).getTime() + 7 * DAY - MINUTE));
    expect((await t.browser().get(link)).status).toBe(200);
    t.clock.set(new Date(new Date(RUN).getTime() + 7 * DAY + MINUTE));
    const res = await t.browser().get(link);
    expect(res.status).toBe(410);
    expect(await pageText(res)).toContain("This link has expired");
    expect((await t.browser().post("/email/action", { token: tokenOf(link) })).status).toBe(410);
    expect((await dbTask(t, ids[0]!))!.status).toBe("todo");
  });

  it("answers 400 to a tampered token and changes nothing", async () => {
    const { mail, ids } = await tokyo();
    const done = taskLink(mail, ids[0]!, "Mark done");
    const tomorrow = taskLink(mail, ids[0]!, "Move to tomorrow");
    // The "done" claims under the "tomorrow" signature, and a changed signature.
    const spliced = `${tokenOf(done).split(".")[0]}.${tokenOf(tomorrow).split(".")[1]}`;
    for (const token of [tokenOf(tampered(done)), spliced, "", "not-a-token"]) {
      expect((await t.browser().get(`/email/action?token=${encodeURIComponent(token)}`)).status).toBe(400);
      expect((await t.browser().post("/email/action", { token })).status).toBe(400);
    }
    expect((await dbTask(t, ids[0]!))!.status).toBe("todo");
  });

  it("a link about A's task can never touch anything of B's", async () => {
    const a = await tokyo();
    const b = await person(t, "Asia/Tokyo");
    const bTask = await addTask(b.browser, { title: "Ship release", due_date: "2021-06-16", due_time: "14:30" });
    const bBefore = await dbTask(t, bTask);

    // B, signed in, follows A's link: it is about A's task, and B's own same-titled task is untouched.
    expect((await confirm(taskLink(a.mail, a.ids[0]!, "Mark done"), b.browser)).status).toBe(200);
    expect((await dbTask(t, a.ids[0]!))!.status).toBe("done");
    expect(await dbTask(t, bTask)).toEqual(bBefore);

    // Even a genuinely signed link naming B's task on behalf of A does nothing.
    const signer = await emailSigner(t.database.db, undefined);
    for (const [taskId, userId] of [[bTask, a.userId], [a.ids[0]!, b.userId]] as const) {
      const token = await actionToken(signer, "tomorrow", taskId, userId, t.clock.now());
      expect((await t.browser().get(`/email/action?token=${token}`)).status).toBe(400);
      expect((await t.browser().post("/email/action", { token })).status).toBe(400);
    }
    expect(await dbTask(t, bTask)).toEqual(bBefore);
  });

  it("the confirmation POST must come from SmartTask's own pages: a cross-site POST is refused", async () => {
    const { mail, ids } = await tokyo();
    const token = tokenOf(taskLink(mail, ids[0]!, "Mark done"));
    const body = new URLSearchParams({ token }).toString();
    for (const headers of [{ ...FORM, origin: "https://evil.example" }, FORM]) {
      expect((await rawRequest(t, "POST", "/email/action", { headers, body })).status).toBe(403);
    }
    expect((await dbTask(t, ids[0]!))!.status).toBe("todo");
    // The refused attempts did not use the link up.
    expect((await t.browser().post("/email/action", { token })).status).toBe(200);
    expect((await dbTask(t, ids[0]!))!.status).toBe("done");
  });
});

/**
 * A handle on the same database that runs `meanwhile` at the moment an action link is used up:
 * after the handler has read the task and before it writes, which is where an edit in another tab
 * or a completion from a phone lands in a real race.
 */
let meanwhile: (() => Promise<void>) | null = null;

function pausingWhenALinkIsUsed(db: Db): Db {
  const runFirst = <T extends object>(builder: T): T =>
    new Proxy(builder, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === "then") {
          return (resolve: (v: unknown) => unknown, reject: (e: unknown) => unknown) => {
            const before = meanwhile ?? (async () => {});
            meanwhile = null;
            return before().then(() => (target as unknown as PromiseLike<unknown>).then(resolve, reject), reject);
          };
        }
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const out = (value as (...a: unknown[]) => unknown).apply(target, args);
          return out && typeof out === "object" ? runFirst(out) : out;
        };
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "insert") return (table: object) => (table === usedActionTokens ? runFirst(target.insert(usedActionTokens)) : target.insert(table as typeof usedActionTokens));
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const racingApp = createApp({
  database: { ...t.database, db: pausingWhenALinkIsUsed(t.database.db) },
  clock: t.clock,
  mailer: t.mailer,
  config: { appUrl: new URL(APP_URL) },
  passwords: createPasswordHasher(loadArgon2ForNode),
  clientIp: () => "127.0.0.1",
});

describe("Move to tomorrow never undoes a change made meanwhile", () => {
  const RUN = "2021-06-15T23:30:00Z";
  const CLICK = "2021-06-15T23:45:00Z";
  const tokyo = async () => {
    const digest = await withDigest("Asia/Tokyo", RUN, [{ title: "Ship release", due_date: "2021-06-16", due_time: "14:30" }]);
    t.clock.set(CLICK);
    return { ...digest, id: digest.ids[0]!, link: taskLink(digest.mail, digest.ids[0]!, "Move to tomorrow") };
  };
  const racer = () => new Browser(racingApp, new URL(APP_URL).origin);
  const editForm = { title: "Ship release 2.0", notes: "after QA signs off", priority: "urgent", status: "in_progress", due_date: "2021-06-16", due_time: "14:30" };

  it("an edit saved while the link is being used survives; only the due date moves", async () => {
    const { browser, id, link } = await tokyo();
    expect((await racer().get(link)).status).toBe(200);
    meanwhile = async () => {
      expect((await browser.post(`/tasks/${id}`, editForm)).status).toBe(303);
    };
    const res = await racer().post("/email/action", { token: tokenOf(link) });
    expect(meanwhile, "the edit ran in the middle of the action").toBeNull();
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("“Ship release 2.0” is now due Thu 17 Jun 2021, 14:30.");
    const task = await dbTask(t, id);
    expect({ title: task!.title, notes: task!.notes, priority: task!.priority, status: task!.status }).toEqual({
      title: "Ship release 2.0",
      notes: "after QA signs off",
      priority: "urgent",
      status: "in_progress",
    });
    expect({ date: task!.dueDate, time: task!.dueTime, at: task!.dueAt?.toISOString() }).toEqual({ date: "2021-06-17", time: "14:30:00", at: "2021-06-17T05:30:00.000Z" });
  });

  it("a task completed while the link is being used is refused and stays done, its date unchanged", async () => {
    const { browser, id, link } = await tokyo();
    meanwhile = async () => {
      expect((await browser.post(`/tasks/${id}/complete`)).status).toBe(303);
    };
    const res = await racer().post("/email/action", { token: tokenOf(link) });
    expect(meanwhile).toBeNull();
    expect(res.status).toBe(409);
    const text = await pageText(res);
    expect(text).toContain("This task is already done");
    expect(text).toContain("“Ship release” was marked done, so it was not moved.");
    const task = await dbTask(t, id);
    expect({ status: task!.status, completed: task!.completedAt !== null, date: task!.dueDate }).toEqual({ status: "done", completed: true, date: "2021-06-16" });
  });

  it("a task completed before the link is opened is refused on the page and on the button, and the link stays usable", async () => {
    const { browser, id, link } = await tokyo();
    expect((await browser.post(`/tasks/${id}/complete`)).status).toBe(303);
    const page = await t.browser().get(link);
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(textOf(html)).toContain("This task is already done");
    expect(html, "no button to confirm").not.toContain('name="token"');
    const posted = await t.browser().post("/email/action", { token: tokenOf(link) });
    expect(posted.status).toBe(409);
    const done = await dbTask(t, id);
    expect({ status: done!.status, date: done!.dueDate }).toEqual({ status: "done", date: "2021-06-16" });

    // Reopened, the task can still be moved with the same link: a refusal does not use it up.
    expect((await browser.post(`/tasks/${id}/reopen`)).status).toBe(303);
    expect((await confirm(link)).status).toBe(200);
    expect((await dbTask(t, id))!.dueDate).toBe("2021-06-17");
  });

  it("a due time changed while the link is being used is kept, and the task is not moved", async () => {
    const { browser, id, link } = await tokyo();
    meanwhile = async () => {
      expect((await browser.post(`/tasks/${id}`, { ...editForm, due_time: "09:00" })).status).toBe(303);
    };
    const res = await racer().post("/email/action", { token: tokenOf(link) });
    expect(res.status).toBe(409);
    expect(await pageText(res)).toContain("This task changed");
    const task = await dbTask(t, id);
    expect({ title: task!.title, date: task!.dueDate, time: task!.dueTime }).toEqual({ title: "Ship release 2.0", date: "2021-06-16", time: "09:00:00" });
  });
});
