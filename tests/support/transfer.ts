import { asc, eq, sql } from "drizzle-orm";
import { tasks, type Task } from "../../src/db/schema.js";
import { uniqueIp } from "./auth-helpers.js";
import { userIdOf } from "./tasks.js";
import type { Browser, TestApp } from "./test-app.js";

/** Export and import helpers shared by the tests/accounts.transfer.* files. */

/** A fresh signed-in user from an address of their own (registration limits never meet across tests). */
export async function person(t: TestApp, timezone = "UTC") {
  const browser = t.browser(uniqueIp());
  const { email } = await browser.register({ timezone });
  return { browser, email, userId: await userIdOf(t, email) };
}

/** Posts a file to /import as a browser's form does (multipart, field `file`). */
export function upload(browser: Browser, content: string | Uint8Array, name = "tasks.csv", type = "text/csv", opts: { headers?: Record<string, string> } = {}) {
  const form = new FormData();
  form.append("file", new File([content as BlobPart], name, { type }));
  return browser.request("POST", "/import", { body: form, headers: opts.headers });
}

/** The user's tasks, oldest first (ties by id), straight from the database. */
export function tasksOf(t: TestApp, userId: string): Promise<Task[]> {
  return t.database.db.select().from(tasks).where(eq(tasks.userId, userId)).orderBy(asc(tasks.createdAt), asc(tasks.id));
}

export async function countOf(t: TestApp, userId: string): Promise<number> {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(eq(tasks.userId, userId));
  return Number(row!.n);
}

/** Gives the user `count` plain tasks in one statement (titles "Bulk 1", "Bulk 2", …). */
export async function bulkTasks(t: TestApp, userId: string, count: number, createdAt = t.clock.now()): Promise<void> {
  await t.database.db.execute(sql`insert into ${tasks} (user_id, title, created_at, updated_at)
    select ${userId}::uuid, 'Bulk ' || g, ${createdAt.toISOString()}::timestamptz, ${createdAt.toISOString()}::timestamptz
    from generate_series(1, ${count}::int) g`);
}

/** A CSV file of `count` rows with only a title column; `edit` may change row n (1-based) to any line. */
export function titlesCsv(count: number, edit: (n: number) => string | undefined = () => undefined): string {
  const lines = ["title,due_date"];
  for (let n = 1; n <= count; n += 1) lines.push(edit(n) ?? `Imported ${n},2026-07-01`);
  return `${lines.join("\r\n")}\r\n`;
}

/** The rows of the report's "Refused rows" table: [row number, what was wrong] as the page shows them. */
export function refusedRows(html: string): [number, string][] {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "";
  return [...body.matchAll(/<tr><th scope="row">(\d+)<\/th><td>([\s\S]*?)<\/td><\/tr>/g)].map((m) => [Number(m[1]), m[2]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()]);
}
