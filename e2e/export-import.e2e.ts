import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterEach, expect, it } from "vitest";
import { createTasksOverHttp, newAccount, register, rowTitles } from "./support/app.js";
import { expectAccessible, openSession, useBrowser, type Session } from "./support/browser.js";
import { useServer } from "./support/server.js";

// Export and import in a real browser: the downloads as files, the upload through the file input,
// with JavaScript on and off (the page is plain links and a plain multipart form).
const server = useServer();
const chrome = useBrowser();

const sessions: Session[] = [];
async function open(options: Parameters<typeof openSession>[2] = {}) {
  const session = await openSession(chrome.browser, server, { timezoneId: "Europe/Paris", bypassCSP: true, ...options });
  sessions.push(session);
  return session;
}
afterEach(async () => {
  const problems = sessions.flatMap((s) => s.problems);
  for (const s of sessions.splice(0)) await s.context.close();
  expect(problems, "no CSP violations or script errors").toEqual([]);
});

/** Clicks a download link and returns the file's suggested name and its text. */
async function downloadVia(page: Page, linkName: string) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: linkName }).click()]);
  return { name: download.suggestedFilename(), text: await readFile((await download.path())!, "utf8") };
}

const TASKS = [
  { title: "Call the plumber", priority: "high" as const, due_date: "2026-09-01", due_time: "09:15", notes: "Boiler, radiators, \"the usual\"" },
  { title: "=1+1 is not a formula", notes: "line one\nline two" },
  { title: "Water the plants", priority: "low" as const, status: "done" as const },
];

it("exports JSON and CSV as downloads and imports the JSON into another account, with JavaScript", async () => {
  const { page, context } = await open();
  await register(page, newAccount("Ada Lovelace"));
  await createTasksOverHttp(server, context, TASKS);

  // From the settings page to the export and import page.
  await page.goto("/settings");
  await page.getByRole("link", { name: "Export or import your data" }).click();
  await page.waitForURL(/\/import$/);
  expect(await page.locator("h1").textContent()).toBe("Export and import");
  await expectAccessible(page, "the export and import page");

  const json = await downloadVia(page, "Download everything (JSON)");
  expect(json.name).toMatch(/^smarttask-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(json.text);
  expect(data.format).toBe("smarttask-export");
  expect(data.tasks.map((t: { title: string }) => t.title).sort()).toEqual(TASKS.map((t) => t.title).sort());

  const csv = await downloadVia(page, "Download your tasks (CSV)");
  expect(csv.name).toMatch(/^smarttask-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(csv.text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe("title,notes,priority,status,due_date,due_time,reminders,created_at,completed_at,repeat,repeat_from");
  expect(csv.text).toContain(`"'=1+1 is not a formula"`);

  // Someone else imports the JSON file through the form.
  const other = await open();
  await register(other.page, newAccount("Grace Hopper"));
  await other.page.goto("/import");
  // A file with a refused row first: the report is a table a screen reader can read.
  await other.page.getByLabel("File to import (JSON or CSV)").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("title,due_date\r\nFine,\r\nBad,2026-13-01\r\n") });
  await other.page.getByRole("button", { name: "Import the file" }).click();
  await other.page.waitForLoadState();
  expect(await other.page.getByRole("alert").first().textContent()).toContain("Nothing was imported");
  await expectAccessible(other.page, "the report of a refused import");
  await other.page.getByLabel("File to import (JSON or CSV)").setInputFiles({ name: json.name, mimeType: "application/json", buffer: Buffer.from(json.text) });
  await other.page.getByRole("button", { name: "Import the file" }).click();
  await other.page.waitForLoadState();
  expect(await other.page.getByRole("status").first().textContent()).toContain("Imported 3 tasks from the JSON file.");
  await expectAccessible(other.page, "the import report");
  await other.page.getByRole("link", { name: "See your tasks" }).click();
  await other.page.waitForURL(/\/tasks$/);
  // The list shows the open ones; with Show done, every task imported.
  expect((await rowTitles(other.page)).sort()).toEqual(TASKS.filter((t) => t.status !== "done").map((t) => t.title).sort());
  await other.page.goto("/tasks?done=1");
  expect((await rowTitles(other.page)).sort()).toEqual(TASKS.map((t) => t.title).sort());
});

it("imports a CSV without JavaScript, and reports a refused row with nothing imported", async () => {
  const { page } = await open({ javaScriptEnabled: false });
  await register(page, newAccount("Alan Turing"));
  await page.goto("/import");

  const bad = "title,due_date\r\nFirst,2026-10-01\r\nSecond,2026-02-30\r\nThird,\r\n";
  await page.getByLabel("File to import (JSON or CSV)").setInputFiles({ name: "tasks.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Import the file" }).click();
  await page.waitForLoadState();
  expect(await page.getByRole("alert").first().textContent()).toContain("Nothing was imported: 1 of the file's 3 rows was refused.");
  expect(await page.getByRole("row").nth(1).textContent()).toMatch(/^2\s*due_date: Use a real date, as YYYY-MM-DD\.$/);
  await page.goto("/tasks");
  expect(await rowTitles(page)).toEqual([]);

  await page.goto("/import");
  const good = bad.replace("2026-02-30", "2026-02-28");
  await page.getByLabel("File to import (JSON or CSV)").setInputFiles({ name: "tasks.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "Import the file" }).click();
  await page.waitForLoadState();
  expect(await page.getByRole("status").first().textContent()).toContain("Imported 3 tasks from the CSV file.");
  await page.goto("/tasks");
  expect((await rowTitles(page)).sort()).toEqual(["First", "Second", "Third"]);
});
