import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { RunningServer } from "./server.js";

export const PASSWORD = "plum-orbit-canvas-77";

export interface Account {
  name: string;
  email: string;
  password: string;
}

let counter = 0;
export function newAccount(name = "Ada Lovelace"): Account {
  counter += 1;
  return { name, email: `user${counter}-${Date.now()}@example.com`, password: PASSWORD };
}

/**
 * Registers through the form (the timezone select is left as the page offers it; registering
 * lands on Today) and, unless `verified: false`, confirms the address with the link from the mail
 * as its owner would, so that reminders can reach it. Ends on the task list either way.
 */
export async function register(page: Page, account: Account, opts: { verified?: boolean } = {}) {
  await page.goto("/register");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/today$/);
  if (opts.verified !== false) await confirmAddress(page);
  else await page.goto("/tasks");
}

/**
 * Follows the verification link from the signed-in person's /dev/mailbox and presses its button.
 * The mail is read without rendering: account mail's inline styles would be reported as CSP
 * violations by the mailbox's srcdoc frame (the app's style-src is 'self').
 */
export async function confirmAddress(page: Page) {
  const mail = page.getByRole("link", { name: "Confirm your address for SmartTask" });
  await poll(async () => (await page.goto("/dev/mailbox"), await mail.count())).toBeGreaterThan(0);
  const message = await (await page.request.get((await mail.first().getAttribute("href"))!)).text();
  const link = message.match(/\/verify\/[0-9a-f]{40}\.[0-9a-f]{64}/)?.[0];
  expect(link, "a /verify link in the mail").toBeTruthy();
  await page.goto(link!);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await page.waitForURL(/\/today$/);
  // The "confirmed" notice shows once; a fresh task list is where registering used to end.
  await page.goto("/tasks");
}

export async function logIn(page: Page, account: Account) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/today$/);
}

export interface NewTask {
  title: string;
  priority?: "low" | "medium" | "high" | "urgent";
  status?: "todo" | "in_progress" | "done";
  due_date?: string;
  due_time?: string;
  notes?: string;
  /** The edit form's Repeat choice (never, daily, weekdays, weekly, monthly, yearly). */
  repeat?: string;
}

/** Fills the new-task form on /tasks (opening it if needed) and submits it. */
export async function addTaskThroughForm(page: Page, task: NewTask) {
  const details = page.locator("details.new-task");
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator(":scope > summary").click();
  const form = page.locator("#new-task");
  await form.getByLabel("Title").fill(task.title);
  if (task.priority) await form.getByLabel("Priority").selectOption(task.priority);
  if (task.status) await form.getByLabel("Status").selectOption(task.status);
  if (task.due_date) await form.getByLabel("Due date").fill(task.due_date);
  if (task.due_time) await form.getByLabel("Time (optional)").fill(task.due_time);
  if (task.notes) await form.getByLabel("Notes").fill(task.notes);
  await form.getByRole("button", { name: "Add task" }).click();
}

/** Creates tasks with plain HTTP posts carrying the browser's session cookie. */
export async function createTasksOverHttp(server: RunningServer, context: BrowserContext, tasks: NewTask[]) {
  const cookies = await context.cookies(server.origin);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  for (const task of tasks) {
    const body = new URLSearchParams({ priority: "medium", status: "todo", due_date: "", due_time: "", notes: "", reminders: "on", next: "/tasks", ...task });
    const res = await fetch(`${server.origin}/tasks`, { method: "POST", body, redirect: "manual", headers: { cookie, origin: server.origin } });
    expect(res.status, `POST /tasks ${task.title}`).toBe(303);
  }
}

/** The row of the task with this exact title. */
export function row(page: Page, title: string) {
  return page.locator("li.task").filter({ has: page.getByRole("link", { name: title, exact: true }) });
}

export async function rowTitles(page: Page): Promise<string[]> {
  return page.locator("li.task .task-title").allTextContents();
}

/** Today's date in a zone, shifted by whole days, as YYYY-MM-DD. */
export function localDate(timezone: string, plusDays = 0): string {
  const date = new Date(Date.now() + plusDays * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** What element has focus, described for assertions: tag, id, name and accessible label. */
export function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    const value = el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value : null;
    return { tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"), value, label: el.getAttribute("aria-label"), text: el.textContent?.trim() ?? "" };
  });
}

/** expect.poll with a patient timeout: the browser and the server take their time on a busy machine. */
export function poll<T>(fn: () => Promise<T> | T, message?: string) {
  return expect.poll(fn, { timeout: 15_000, interval: 50, message });
}

/** The text a screen reader would hear from the page's polite live region. */
export function announced(page: Page) {
  return page.locator("#announcer").textContent();
}
