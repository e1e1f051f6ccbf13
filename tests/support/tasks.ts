import { eq } from "drizzle-orm";
import { tasks, users, type Task } from "../../src/db/schema.js";
import { taskIdsIn, type Browser, type TestApp } from "./test-app.js";

/** Task fixtures and database look-ups shared by the task test files. */

export async function userIdOf(t: TestApp, email: string): Promise<string> {
  const [row] = await t.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

export async function dbTask(t: TestApp, id: string): Promise<Task | undefined> {
  const [row] = await t.database.db.select().from(tasks).where(eq(tasks.id, id));
  return row;
}

/** Registers a fresh user in the given zone and returns the browser, email and user id. */
export async function signedIn(t: TestApp, timezone = "UTC") {
  const browser = t.browser();
  const { email } = await browser.register({ timezone });
  return { browser, email, userId: await userIdOf(t, email) };
}

export type NewRow = Partial<Omit<typeof tasks.$inferInsert, "userId">> & { title: string };

/** Inserts tasks straight through Drizzle (fast fixtures); timestamps default to the test clock. */
export async function insertTasks(t: TestApp, userId: string, rows: NewRow[]): Promise<Task[]> {
  if (!rows.length) return [];
  const now = t.clock.now();
  return t.database.db
    .insert(tasks)
    .values(rows.map((r) => ({ createdAt: now, updatedAt: now, ...r, userId })))
    .returning();
}

/** Records every SQL statement the app sends while `fn` runs. */
export async function capturingSql<T>(t: TestApp, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const logger = (t.database.db as unknown as { session: { logger: { logQuery(q: string, p: unknown[]): void } } }).session.logger;
  const original = logger.logQuery;
  const statements: string[] = [];
  logger.logQuery = function (query: string, params: unknown[]) {
    statements.push(query);
    return original.call(this, query, params);
  };
  try {
    return { result: await fn(), statements };
  } finally {
    logger.logQuery = original;
  }
}

/** The value of the `name` control in a rendered form (input value, selected option, or textarea text). */
export function formValue(html: string, name: string): string | null {
  const input = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`));
  if (input) return decode(input[0].match(/value="([^"]*)"/)?.[1] ?? "");
  const textarea = html.match(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`));
  if (textarea) return decode(textarea[1]!);
  const select = html.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`));
  if (select) {
    const chosen = select[1]!.match(/<option value="([^"]*)" selected/);
    return chosen ? decode(chosen[1]!) : null;
  }
  return null;
}

/** The error message shown beside a field of the new-task form (or of task `taskId`'s form). */
export function fieldError(html: string, name: string, taskId?: string): string | null {
  const id = taskId ? `${name}-${taskId}` : `new-${name}`;
  const m = html.match(new RegExp(`<small id="${id}-error" class="error">([\\s\\S]*?)</small>`));
  return m ? decode(m[1]!) : null;
}

export function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The "Load more" URL of a list page or fragment, if any. */
export function loadMoreUrl(html: string): string | null {
  const m = html.match(/<li class="more"><a class="button" href="([^"]+)"/);
  return m ? decode(m[1]!) : null;
}

/** The counts in the #status-counts nav, as {All, To do, In progress, Done}. */
export function statusCounts(html: string): Record<string, number> {
  const nav = html.match(/id="status-counts"[\s\S]*?<\/nav>/)?.[0];
  if (!nav) throw new Error("no #status-counts in the page");
  const out: Record<string, number> = {};
  for (const m of nav.matchAll(/>([^<>]+?) <span class="count">(\d+)<\/span>/g)) out[m[1]!.trim()] = Number(m[2]);
  return out;
}

export async function listIds(browser: Browser, query = ""): Promise<string[]> {
  const res = await browser.get(`/tasks${query}`);
  if (res.status !== 200) throw new Error(`list answered ${res.status}`);
  return taskIdsIn(await res.text());
}
