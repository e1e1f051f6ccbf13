import { expect } from "vitest";
import { scanReminders } from "../../src/reminders/scan.js";
import { sendPending } from "../../src/reminders/send.js";
import { decode, signedIn } from "./tasks.js";
import { APP_URL, taskIdsIn, textOf, type Browser, type TestApp } from "./test-app.js";

/**
 * Helpers for the user-facing side of reminders: run the jobs as the schedule would, then read
 * the mail the way a person does, through /dev/mailbox, and follow its links.
 *
 * On the shared PostgreSQL run other files run jobs at their own "now"; these tests keep to 2021
 * so their runs neither expire nor claim anything of the other files (which live in 2026).
 */

export async function runJobs(t: TestApp, now: Date = t.clock.now(), steps: { scan?: boolean; send?: boolean } = {}) {
  const deps = { database: t.database, mailer: t.mailer, config: { appUrl: new URL(APP_URL) } };
  const scan = steps.scan === false ? null : await scanReminders(deps, now);
  const send = steps.send === false ? null : await sendPending(deps, now);
  return { scan, send };
}

/** A signed-in user in `timezone`, with a browser and the account's email and id. */
export const person = (t: TestApp, timezone = "UTC") => signedIn(t, timezone);

/** Creates a task through the form (any fields, e.g. reminders: ["off"]) and returns its id. */
export async function addTask(browser: Browser, fields: Record<string, string | string[]>) {
  const title = (fields.title as string | undefined) ?? `Task ${crypto.randomUUID().slice(0, 8)}`;
  const res = await browser.post("/tasks", { ...fields, title });
  expect(res.status, await res.clone().text()).toBe(303);
  const ids = taskIdsIn(await (await browser.get(`/tasks?done=1&q=${encodeURIComponent(title)}`)).text());
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** The subject of the mail registration sends (src/accounts/verification.ts), which these tests' people have followed. */
const VERIFY_SUBJECT = "Confirm your address for SmartTask";

/**
 * The reminder messages listed in the signed-in person's /dev/mailbox, newest first: the
 * verification mail every registration sends is left out (tests/accounts.verify.* look at it).
 */
export async function mailbox(browser: Browser): Promise<{ id: string; subject: string }[]> {
  const res = await browser.get("/dev/mailbox");
  expect(res.status).toBe(200);
  const html = await res.text();
  return [...html.matchAll(/<a href="\/dev\/mailbox\/([0-9a-f-]{36})">([^<]*)<\/a>/g)]
    .map((m) => ({ id: m[1]!, subject: decode(m[2]!) }))
    .filter((m) => m.subject !== VERIFY_SUBJECT);
}

export interface OpenedMail {
  id: string;
  subject: string;
  /** The HTML part as the recipient's mail program renders it. */
  html: string;
  /** The page of /dev/mailbox/:id, as text. */
  pageText: string;
}

export async function openMail(browser: Browser, id: string): Promise<OpenedMail> {
  const res = await browser.get(`/dev/mailbox/${id}`);
  expect(res.status).toBe(200);
  const page = await res.text();
  const srcdoc = page.match(/srcdoc="([^"]*)"/)?.[1];
  expect(srcdoc, "the mail page shows the HTML part").toBeTruthy();
  return { id, subject: decode(page.match(/<h1>([^<]*)<\/h1>/)![1]!), html: decode(srcdoc!), pageText: textOf(page) };
}

/** The only message in the person's mailbox (fails when there is not exactly one). */
export async function onlyMail(browser: Browser): Promise<OpenedMail> {
  const list = await mailbox(browser);
  expect(list, "exactly one message in the mailbox").toHaveLength(1);
  return openMail(browser, list[0]!.id);
}

/** The path (and query) a link of the email points to on SmartTask. */
export function appPath(url: string): string {
  const u = new URL(url);
  expect(u.origin).toBe(new URL(APP_URL).origin);
  return u.pathname + u.search;
}

/** The href of the anchor whose text is `label`, within the task's entry of the email. */
export function taskLink(mail: OpenedMail, taskId: string, label: "Mark done" | "Move to tomorrow"): string {
  const entry = mail.html.split("<li>").find((part) => part.includes(`/tasks/${taskId}"`));
  expect(entry, `the email lists task ${taskId}`).toBeTruthy();
  const href = entry!.match(new RegExp(`<a href="([^"]+)">${label}</a>`))?.[1];
  expect(href, `a "${label}" link for the task`).toBeTruthy();
  return appPath(href!);
}

export function unsubscribeLink(mail: OpenedMail): string {
  const href = mail.html.match(/<a href="([^"]+)">Unsubscribe from reminders<\/a>/)?.[1];
  expect(href, "an unsubscribe link in the email").toBeTruthy();
  return appPath(href!);
}

/** The same link with one character of its signature changed. */
export function tampered(path: string): string {
  const u = new URL(path, APP_URL);
  const token = u.searchParams.get("token")!;
  const last = token.at(-2) === "A" ? "B" : "A";
  u.searchParams.set("token", token.slice(0, -2) + last + token.at(-1));
  return u.pathname + u.search;
}

export function tokenOf(path: string): string {
  return new URL(path, APP_URL).searchParams.get("token")!;
}

/** Whether the form control `name` with `value` is ticked (checkbox or radio). */
export function isChecked(html: string, name: string, value: string): boolean {
  const input = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*value="${value}"[^>]*>`))?.[0];
  if (!input) throw new Error(`no ${name}=${value} control in the page`);
  return /\schecked(=|\s|>|\/)/.test(input);
}

/** The values of the ticked controls of a group. */
export function checkedValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, "g"))]
    .filter((m) => /\schecked(=|\s|>|\/)/.test(m[0]))
    .map((m) => m[0].match(/value="([^"]*)"/)![1]!);
}

/** The "Next reminder:" sentence of a task page. */
export async function nextReminderText(browser: Browser, taskId: string): Promise<string> {
  const res = await browser.get(`/tasks/${taskId}`);
  expect(res.status).toBe(200);
  const text = textOf(await res.text());
  return text.match(/Next reminder: (.*?)(?= Reminders sent for this task| No reminder has been sent)/)?.[1]?.trim() ?? `(no panel in: ${text})`;
}
