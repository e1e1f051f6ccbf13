import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_TASKS_PER_USER } from "../src/db/task-cap.js";
import { tasks, userTaskCounts, users } from "../src/db/schema.js";
import { dueMoment } from "../src/tasks/due.js";
import { taskCapMessage } from "../src/tasks/task-cap.js";
import { decode, formValue, signedIn } from "./support/tasks.js";
import { makeTestApp, settled, textOf, type Browser } from "./support/test-app.js";

// Monday 15 June 2026, 12:00 UTC.
const NOW = "2026-06-15T12:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

async function tasksOf(userId: string) {
  return t.database.db.select().from(tasks).where(eq(tasks.userId, userId));
}

function quickAdd(browser: Browser, text: string, opts: { back?: string; htmx?: boolean | string; headers?: Record<string, string> } = {}) {
  const form: Record<string, string> = { text };
  if (opts.back !== undefined) form.back = opts.back;
  return browser.post("/tasks/quick", form, { htmx: opts.htmx, headers: opts.headers });
}

function preview(browser: Browser, text: string, headers: Record<string, string> = {}) {
  return browser.get(`/tasks/quick/preview?text=${encodeURIComponent(text)}`, { htmx: true, headers });
}

/** The text of the quick-add status line ("Added “…” — …. Edit"), if the page has one. */
function addedLine(html: string): string | null {
  const m = html.match(/<p class="notice quick-added"[^>]*>([\s\S]*?)<\/p>/);
  return m ? decode(m[1]!.replace(/<[^>]+>/g, "")).replace(/\s+/g, " ").trim() : null;
}

describe("quick add: happy paths", () => {
  it("without JavaScript: creates the task as understood, 303 back, and the page says what it understood once, with an edit link", async () => {
    const { browser, userId } = await signedIn(t, "Europe/Paris");
    const res = await quickAdd(browser, "Pay rent tomorrow 9am !high", { back: "/tasks" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/tasks");

    const [task] = await tasksOf(userId);
    expect(task).toMatchObject({ title: "Pay rent", dueDate: "2026-06-16", dueTime: "09:00:00", priority: "high", status: "todo", rrule: null, repeatFrom: "due", remindersEnabled: true });
    expect(task!.dueAt).toEqual(dueMoment("2026-06-16", "09:00", "Europe/Paris"));

    const page = await (await browser.get("/tasks")).text();
    expect(addedLine(page)).toBe("Added “Pay rent” — tomorrow 09:00, high. Edit");
    expect(page).toContain(`href="/tasks/${task!.id}/edit"`);
    // Shown once: a reload no longer says it.
    expect(addedLine(await (await browser.get("/tasks")).text())).toBeNull();
  });

  it("goes back to Today by default, and only to a path of ours", async () => {
    const { browser } = await signedIn(t);
    expect((await quickAdd(browser, "Buy milk")).headers.get("location")).toBe("/today");
    expect((await quickAdd(browser, "Buy bread", { back: "//evil.example/x" })).headers.get("location")).toBe("/today");
    expect((await quickAdd(browser, "Buy eggs", { back: "https://evil.example/" })).headers.get("location")).toBe("/today");
    expect((await quickAdd(browser, "Buy jam", { back: "/upcoming" })).headers.get("location")).toBe("/upcoming");
  });

  it("stores repetition: the rule, what it counts from, and its first date", async () => {
    const { browser, userId } = await signedIn(t);
    await quickAdd(browser, "Report on the last day of every month !urgent");
    await quickAdd(browser, "Stretch every! 3 days");
    const rows = await tasksOf(userId);
    expect(rows.find((r) => r.title === "Report")).toMatchObject({ dueDate: "2026-06-30", dueTime: null, priority: "urgent", rrule: "FREQ=MONTHLY;BYMONTHDAY=-1", repeatFrom: "due" });
    expect(rows.find((r) => r.title === "Stretch")).toMatchObject({ dueDate: "2026-06-15", rrule: "FREQ=DAILY;INTERVAL=3", repeatFrom: "completion" });
  });

  it("with htmx: a fresh form with the status line and edit link, and on the All view the list with the new task", async () => {
    const { browser, userId } = await signedIn(t);
    const res = await quickAdd(browser, "Call mum every sunday 6pm", { back: "/tasks", htmx: "/tasks" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<html");
    expect(html).toContain('id="quick-add"');
    expect(formValue(html, "text")).toBe("");
    const [task] = await tasksOf(userId);
    expect(addedLine(html)).toBe(`Added “Call mum” — Sunday (Sun 21 Jun 2026) 18:00, every week on Sunday, from the due date. Edit`);
    expect(html).toContain(`href="/tasks/${task!.id}/edit"`);
    // The list beside the form is swapped out of band, the new task in it.
    expect(html).toMatch(/id="task-results"[^>]*hx-swap-oob/);
    expect(html).toContain(`id="task-${task!.id}"`);
  });

  it("with htmx from a planning view: that view's results drawn again with the task, the form in htmx 4's partial envelope", async () => {
    const { browser, userId } = await signedIn(t);
    const res = await quickAdd(browser, "Water plants in 3 days", { back: "/upcoming", htmx: "/upcoming" });
    expect(res.status).toBe(200);
    expect(res.headers.get("hx-retarget")).toBe("#view-results");
    expect(res.headers.get("hx-reswap")).toBe("outerHTML");
    const html = await res.text();
    const [task] = await tasksOf(userId);
    expect(html).toMatch(/<section id="view-results"/);
    expect(html).toContain(`id="task-${task!.id}"`);
    expect(html).toMatch(/<hx-partial hx-target="#quick-add" hx-swap="outerHTML"><div id="quick-add"/);
    expect(addedLine(html)).toBe("Added “Water plants” — Thursday (Thu 18 Jun 2026). Edit");
    expect(formValue(html, "back")).toBe("/upcoming");
    expect(html).toMatch(/id="view-nav"[^>]*hx-swap-oob/);
  });

  it("with htmx from a page that has no list of its own: the form and status line alone", async () => {
    const { browser } = await signedIn(t);
    const res = await quickAdd(browser, "Buy stamps tomorrow", { back: "/settings", htmx: "/settings" });
    expect(res.headers.get("hx-retarget")).toBeNull();
    const html = await res.text();
    expect(html.startsWith('<div id="quick-add"')).toBe(true);
    expect(addedLine(html)).toBe("Added “Buy stamps” — tomorrow. Edit");
  });

  it("previews what it understood, the words it took marked, in the owner's zone", async () => {
    // 12:00 UTC is 01:00 on Tuesday the 16th in Kiritimati: "tomorrow" is Wednesday there.
    const { browser } = await signedIn(t, "Pacific/Kiritimati");
    const res = await preview(browser, "Pay rent tomorrow 9am !high");
    expect(res.status).toBe(200);
    expect(res.headers.get("vary")).toContain("HX-Request");
    const html = await res.text();
    expect(html).toContain("Pay rent <mark>tomorrow 9am</mark> <mark>!high</mark>");
    expect(textOf(html)).toContain("Due tomorrow");
    expect(textOf(html)).toContain("Time 09:00");
    expect(textOf(html)).toContain("Priority High");
    expect(textOf(await (await preview(browser, "Pay rent 17/6")).text())).toContain("Due tomorrow");
  });

  it("previews repetition in words and says when there is no title yet", async () => {
    const { browser } = await signedIn(t);
    const text = textOf(await (await preview(browser, "Report on the last day of every month")).text());
    expect(text).toContain("Repeats every month on the last day, from the due date");
    expect(text).toContain("Due Tue 30 Jun 2026");
    expect(textOf(await (await preview(browser, "tomorrow")).text())).toContain("Say what the task is");
    expect((await (await preview(browser, "")).text()).trim()).toBe("");
  });
});

describe("quick add: refusals", () => {
  it("empty text: 422 with a message, nothing created", async () => {
    const { browser, userId } = await signedIn(t);
    const res = await quickAdd(browser, "   ", { back: "/tasks" });
    expect(res.status).toBe(422);
    expect(textOf(await res.text())).toContain("Type the task");
    expect(await tasksOf(userId)).toHaveLength(0);
  });

  it("nothing left for a title: 422 keeping the text, on a page and as a fragment", async () => {
    const { browser, userId } = await signedIn(t);
    const page = await quickAdd(browser, "tomorrow 9am !high", { back: "/tasks" });
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toContain("<html");
    expect(formValue(html, "text")).toBe("tomorrow 9am !high");
    expect(formValue(html, "back")).toBe("/tasks");
    expect(textOf(html)).toContain("Say what the task is as well as when");
    expect(html).toContain('aria-invalid="true"');

    const fragment = await quickAdd(browser, "tomorrow 9am !high", { htmx: "/tasks" });
    expect(fragment.status).toBe(422);
    const part = await fragment.text();
    expect(part).not.toContain("<html");
    expect(formValue(part, "text")).toBe("tomorrow 9am !high");
    expect(await tasksOf(userId)).toHaveLength(0);
  });

  it("a title over 200 characters, text over 500, and a repetition that ends before it starts: 422, text kept", async () => {
    const { browser, userId } = await signedIn(t);
    const long = await quickAdd(browser, `${"x".repeat(201)} tomorrow`);
    expect(long.status).toBe(422);
    expect(textOf(await long.text())).toContain("Keep the title to 200 characters");
    const huge = await quickAdd(browser, "y".repeat(501));
    expect(huge.status).toBe(422);
    expect(textOf(await huge.text())).toContain("Keep quick add to 500 characters");
    const ended = await quickAdd(browser, "Taxes every 3 june until 2026-01-01");
    expect(ended.status).toBe(422);
    const html = await ended.text();
    expect(decode(formValue(html, "text")!)).toBe("Taxes every 3 june until 2026-01-01");
    expect(textOf(html)).toContain("ends before its first date");
    expect(await tasksOf(userId)).toHaveLength(0);
  });

  it(`at ${MAX_TASKS_PER_USER.toLocaleString("en")} tasks: the task form's cap message, 422`, async () => {
    const { browser, userId } = await signedIn(t);
    // The cap reads the owner's task counter (user_task_counts), as if they had that many tasks.
    await t.database.db.insert(userTaskCounts).values({ userId, stripe: 0, n: MAX_TASKS_PER_USER });
    const res = await quickAdd(browser, "One more tomorrow");
    expect(res.status).toBe(422);
    expect(textOf(await res.text())).toContain(taskCapMessage());
    expect(await tasksOf(userId)).toHaveLength(0);
  });
});

describe("quick add: security", () => {
  it("signed out: both routes send to the login page and nothing is created", async () => {
    const browser = t.browser();
    const post = await quickAdd(browser, "Signed-out attempt tomorrow");
    expect(post.status).toBe(303);
    expect(post.headers.get("location")).toBe("/login");
    const get = await browser.get("/tasks/quick/preview?text=x");
    expect(get.status).toBe(303);
    expect(get.headers.get("location")).toMatch(/^\/login\?next=/);
    const [row] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(eq(tasks.title, "Signed-out attempt"));
    expect(row!.n).toBe(0);
  });

  it("a cross-site post is refused", async () => {
    const { browser, userId } = await signedIn(t);
    for (const origin of ["https://evil.example", "null"]) {
      const res = await quickAdd(browser, "Forged tomorrow", { headers: { origin } });
      expect(res.status, origin).toBe(403);
    }
    expect(await tasksOf(userId)).toHaveLength(0);
  });

  it("what was typed is escaped in the preview, the 422 form and the status line", async () => {
    const { browser } = await signedIn(t);
    const evil = `<img src=x onerror=alert(1)> tomorrow`;
    const previewHtml = await (await preview(browser, evil)).text();
    expect(previewHtml).not.toContain("<img");
    expect(previewHtml).toContain("&lt;img");
    await quickAdd(browser, evil, { back: "/tasks" });
    const page = await (await browser.get("/tasks")).text();
    expect(addedLine(page)).toBe("Added “<img src=x onerror=alert(1)>” — tomorrow. Edit");
    expect(page).not.toContain("<img src=x");
  });

  it("the status line is shown only to the user it was written for", async () => {
    const a = await signedIn(t);
    const b = await signedIn(t);
    await quickAdd(a.browser, "Private plans tomorrow", { back: "/tasks" });
    // Someone else signs in on the same browser before the note is seen.
    const note = [...a.browser.cookies].find(([name]) => name.endsWith("quick-added"))!;
    b.browser.cookies.set(note[0], note[1]);
    const page = await (await b.browser.get("/tasks")).text();
    expect(addedLine(page)).toBeNull();
    expect(page).not.toContain("Private plans");
  });
});

describe("quick add: query budget", () => {
  async function roundTrips(request: () => Promise<Response>) {
    await settled();
    const before = t.database.roundTrips();
    const res = await request();
    await res.arrayBuffer();
    return { status: res.status, trips: t.database.roundTrips() - before };
  }

  it("the preview reads the session only; an add takes at most 3 round trips, with or without htmx", async () => {
    const { browser } = await signedIn(t);
    expect(await roundTrips(() => preview(browser, "Pay rent tomorrow 9am !high every month"))).toEqual({ status: 200, trips: 1 });
    const plain = await roundTrips(() => quickAdd(browser, "Pay rent tomorrow 9am !high", { back: "/tasks" }));
    expect(plain.status).toBe(303);
    expect(plain.trips).toBeLessThanOrEqual(3);
    for (const view of ["/tasks", "/today", "/upcoming", "/no-date"]) {
      const htmx = await roundTrips(() => quickAdd(browser, `Pay bills tomorrow 9am ${view}`, { back: view, htmx: view }));
      expect(htmx.status, view).toBe(200);
      expect(htmx.trips, view).toBeLessThanOrEqual(3);
    }
  });
});

describe("date order: the setting, and the browser's language when automatic", () => {
  it("automatic follows Accept-Language: en-US reads 3/12 as March 12, en-GB as 3 December", async () => {
    const { browser, userId } = await signedIn(t);
    await quickAdd(browser, "Dentist 3/12 14:30", { headers: { "accept-language": "en-US,en;q=0.9" } });
    await quickAdd(browser, "Optician 3/12", { headers: { "accept-language": "en-GB,en;q=0.9" } });
    const rows = await tasksOf(userId);
    expect(rows.find((r) => r.title === "Dentist")).toMatchObject({ dueDate: "2027-03-12", dueTime: "14:30:00" });
    expect(rows.find((r) => r.title === "Optician")).toMatchObject({ dueDate: "2026-12-03" });
  });

  it("the settings page offers Automatic by default; a saved order wins over the browser; a wrong value is a 422", async () => {
    const { browser, userId } = await signedIn(t);
    const page = await (await browser.get("/settings")).text();
    expect(formValue(page, "date_order")).toBe("");
    expect(textOf(page)).toContain("Automatic (from your browser)");

    const save = await browser.post("/settings", { name: "Ada Lovelace", timezone: "UTC", date_order: "mdy" });
    expect(save.status).toBe(303);
    expect(formValue(await (await browser.get("/settings")).text(), "date_order")).toBe("mdy");
    const html = await (await preview(browser, "Dentist 3/12", { "accept-language": "en-GB" })).text();
    expect(textOf(html)).toContain("Due Fri 12 Mar 2027");

    // A post without the field (an older form) keeps the choice; "" goes back to automatic.
    await browser.post("/settings", { name: "Ada Lovelace", timezone: "UTC" });
    expect((await t.database.db.select({ d: users.dateOrder }).from(users).where(eq(users.id, userId)))[0]!.d).toBe("mdy");
    await browser.post("/settings", { name: "Ada Lovelace", timezone: "UTC", date_order: "" });
    expect((await t.database.db.select({ d: users.dateOrder }).from(users).where(eq(users.id, userId)))[0]!.d).toBeNull();

    const wrong = await browser.post("/settings", { name: "Ada Lovelace", timezone: "UTC", date_order: "ymd" });
    expect(wrong.status).toBe(422);
    expect(textOf(await wrong.text())).toContain("Choose automatic, day first or month first.");
  });
});
