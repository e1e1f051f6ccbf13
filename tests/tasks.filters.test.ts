import { beforeEach, describe, expect, it } from "vitest";
import type { Task } from "../src/db/schema.js";
import { capturingSql, dbTask, insertTasks, listIds, signedIn, statusCounts } from "./support/tasks.js";
import { makeTestApp, taskIdsIn, textOf, type Browser } from "./support/test-app.js";

// Monday 15 June 2026, 12:00 in New York (16:00 UTC).
const NOW = "2026-06-15T16:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

const FIXTURE = {
  overdueDate: { title: "Overdue since Friday", due_date: "2026-06-12", priority: "high" },
  overdueTimed: { title: "Overdue this morning", due_date: "2026-06-15", due_time: "08:00", status: "in_progress" },
  doneLate: { title: "Done late", due_date: "2026-06-14", status: "done" },
  todayDate: { title: "Today any time", due_date: "2026-06-15", priority: "urgent" },
  todayTimed: { title: "Today evening", due_date: "2026-06-15", due_time: "18:00" },
  lateTonight: { title: "Late tonight", due_date: "2026-06-15", due_time: "23:30", priority: "low" },
  earlyTomorrow: { title: "Early tomorrow", due_date: "2026-06-16", due_time: "00:30" },
  tomorrow: { title: "Next day plain", due_date: "2026-06-16", status: "in_progress", priority: "urgent" },
  inTwo: { title: "In two days", due_date: "2026-06-17", priority: "low" },
  weekEdge: { title: "Seventh day", due_date: "2026-06-22" },
  beyond: { title: "Eighth day", due_date: "2026-06-23" },
  noDue: { title: "Someday", notes: "no date at all" },
} as const;
type Name = keyof typeof FIXTURE;

async function fixture() {
  const { browser, userId } = await signedIn(t, "America/New_York");
  const ids = {} as Record<Name, string>;
  for (const [name, fields] of Object.entries(FIXTURE)) ids[name as Name] = await browser.createTask(fields);
  const names = (list: string[]) => list.map((id) => (Object.keys(ids) as Name[]).find((n) => ids[n] === id) ?? id);
  return { browser, userId, ids, names, list: async (q: string) => names(await listIds(browser, q)) };
}

function rowText(html: string, id: string): string {
  const row = html.match(new RegExp(`<li id="task-${id}"[^>]*>[\\s\\S]*?</li>`));
  if (!row) throw new Error(`no row for ${id}`);
  return textOf(row[0]);
}

describe("tasks: filters from the URL", () => {
  it("filters by due window in the owner's zone", async () => {
    const f = await fixture();
    expect(await f.list("?due=overdue")).toEqual(["overdueDate", "overdueTimed"]);
    expect(await f.list("?due=today")).toEqual(["overdueTimed", "todayTimed", "lateTonight", "todayDate"]);
    expect(await f.list("?due=week")).toEqual(["todayTimed", "lateTonight", "todayDate", "earlyTomorrow", "tomorrow", "inTwo", "weekEdge"]);
    expect(await f.list("?due=none")).toEqual(["noDue"]);
    // With no status chosen the list is the open tasks; "Show done" (done=1) adds the finished one.
    expect(await f.list("")).toHaveLength(11);
    expect(await f.list("")).not.toContain("doneLate");
    expect(await f.list("?done=1")).toHaveLength(12);
    expect(await f.list("?done=1")).toContain("doneLate");
    expect(await f.list("?status=done")).toEqual(["doneLate"]);
    expect(await f.list("?due=none&done=1")).toEqual(["noDue"]);
  });

  it("counts overdue to the millisecond and never counts done tasks", async () => {
    const f = await fixture();
    const due = (await dbTask(t, f.ids.todayTimed))!.dueAt!;
    expect(due.toISOString()).toBe("2026-06-15T22:00:00.000Z");
    t.clock.set(due);
    expect(await f.list("?due=overdue")).not.toContain("todayTimed");
    t.clock.advance(1);
    expect(await f.list("?due=overdue")).toContain("todayTimed");
    expect(await f.list("?due=overdue")).not.toContain("doneLate");
  });

  it("takes repeated status and priority values", async () => {
    const f = await fixture();
    const todoOrDone = await f.list("?status=todo&status=done");
    expect(todoOrDone).toHaveLength(10);
    expect(todoOrDone).toContain("doneLate");
    expect(todoOrDone).not.toContain("tomorrow");
    expect(await f.list("?priority=urgent&priority=low")).toEqual(["lateTonight", "todayDate", "tomorrow", "inTwo"]);
    expect(await f.list("?status=in_progress&priority=urgent")).toEqual(["tomorrow"]);
    const html = await (await f.browser.get("/tasks?status=todo&status=done")).text();
    expect(html).toMatch(/<input type="checkbox" name="status" value="todo" checked/);
    expect(html).toMatch(/<input type="checkbox" name="status" value="done" checked/);
    expect(html).not.toMatch(/value="in_progress" checked/);
  });

  it("shows counts per status under the other filters, whatever the status filter", async () => {
    const f = await fixture();
    const all = statusCounts(await (await f.browser.get("/tasks")).text());
    expect(all).toEqual({ Open: 11, "To do": 9, "In progress": 2, Done: 1, All: 12 });
    for (const status of ["", "&status=todo", "&status=done&status=in_progress", "&done=1"]) {
      const week = statusCounts(await (await f.browser.get(`/tasks?due=week${status}`)).text());
      expect(week, status).toEqual({ Open: 7, "To do": 6, "In progress": 1, Done: 0, All: 7 });
    }
    expect(statusCounts(await (await f.browser.get("/tasks?priority=urgent&q=next")).text())).toEqual({ Open: 1, "To do": 0, "In progress": 1, Done: 0, All: 1 });
    // Each count names what its link shows: Open is the plain list, All adds the done ones.
    const page = await (await f.browser.get("/tasks")).text();
    expect(page).toMatch(/<a href="\/tasks" aria-current="true">Open <span class="count">11<\/span>/);
    expect(page).toMatch(/<a href="\/tasks\?done=1">All <span class="count">12<\/span>/);
    expect(page).toContain("11 open tasks.");
    expect(await (await f.browser.get("/tasks?done=1")).text()).toMatch(/<a href="\/tasks\?done=1" aria-current="true">All/);
  });

  it("describes due dates relative to the owner's today and marks the overdue", async () => {
    const f = await fixture();
    const html = await (await f.browser.get("/tasks?done=1")).text();
    const expected: [Name, string][] = [
      ["overdueDate", "overdue by 3 days"],
      ["overdueTimed", "overdue by 4 hours"],
      ["doneLate", "was due 1 day ago"],
      ["todayDate", "(today)"],
      ["todayTimed", "today, in 6 hours"],
      ["lateTonight", "today, in"],
      ["earlyTomorrow", "tomorrow"],
      ["tomorrow", "tomorrow"],
      ["inTwo", "in 2 days"],
      ["weekEdge", "in 7 days"],
      ["noDue", "No due date"],
    ];
    for (const [name, text] of expected) expect(rowText(html, f.ids[name]), name).toContain(text);
    for (const name of ["overdueDate", "overdueTimed"] as const) {
      expect(rowText(html, f.ids[name])).toContain("Overdue:");
      expect(html).toMatch(new RegExp(`<li id="task-${f.ids[name]}" class="[^"]*\\bdue-overdue\\b`));
    }
    for (const name of ["doneLate", "todayDate", "tomorrow", "noDue"] as const) {
      expect(rowText(html, f.ids[name]), name).not.toContain("Overdue");
      expect(html).not.toMatch(new RegExp(`<li id="task-${f.ids[name]}" class="[^"]*\\bdue-overdue\\b`));
    }
    expect(rowText(html, f.ids.inTwo)).toContain("Wed 17 Jun 2026");
    expect(textOf(await (await f.browser.get(`/tasks/${f.ids.overdueDate}`)).text())).toMatch(/Overdue:.*overdue by 3 days/);
    // A day later the same tasks read differently.
    t.clock.advance(24 * 3600_000);
    const later = await (await f.browser.get("/tasks")).text();
    expect(rowText(later, f.ids.inTwo)).toContain("tomorrow");
    expect(rowText(later, f.ids.todayDate)).toContain("overdue by 1 day");
    expect(rowText(later, f.ids.overdueDate)).toContain("overdue by 4 days");
  });

  it("searches title and notes case-insensitively, taking % and _ literally", async () => {
    const { browser, userId } = await signedIn(t);
    const rows = await insertTasks(t, userId, [
      { title: "100% done" },
      { title: "100 percent" },
      { title: "snake_case name" },
      { title: "snakeXcase name" },
      { title: "Plain", notes: "mentions SNAKE here" },
      { title: "Back\\slash" },
    ]);
    const id = (title: string) => rows.find((r) => r.title === title)!.id;
    const ids = async (q: string) => new Set(await listIds(browser, `?q=${encodeURIComponent(q)}`));
    expect(await ids("%")).toEqual(new Set([id("100% done")]));
    expect(await ids("100%")).toEqual(new Set([id("100% done")]));
    expect(await ids("_")).toEqual(new Set([id("snake_case name")]));
    expect(await ids("e_c")).toEqual(new Set([id("snake_case name")]));
    expect(await ids("SnAkE")).toEqual(new Set([id("snake_case name"), id("snakeXcase name"), id("Plain")]));
    expect(await ids("\\")).toEqual(new Set([id("Back\\slash")]));
    expect(await ids("  percent  ")).toEqual(new Set([id("100 percent")]));
    expect(await ids("nothing like this")).toEqual(new Set());
    const html = await (await browser.get("/tasks?q=zzz")).text();
    expect(textOf(html)).toContain("No tasks match these filters.");
    expect(html).toContain('value="zzz"');
  });

  it("sorts by due, priority, created and updated with stable tie-breaks", async () => {
    const { browser, userId } = await signedIn(t);
    const at = (h: number) => new Date(Date.UTC(2026, 6, 1, h));
    const created = (m: number) => new Date(Date.UTC(2026, 5, 1, 0, m));
    const rows = await insertTasks(t, userId, [
      ...Array.from({ length: 4 }, (_, i) => ({ title: `Tie ${i}`, priority: "high" as const, dueDate: "2026-07-01", dueAt: at(9), createdAt: created(5), updatedAt: created(5) })),
      { title: "Early low", priority: "low", dueDate: "2026-07-01", dueAt: at(1), createdAt: created(1), updatedAt: created(1) },
      { title: "Late urgent", priority: "urgent", dueDate: "2026-07-01", dueAt: at(20), createdAt: created(9), updatedAt: created(9) },
      { title: "Undated urgent", priority: "urgent", createdAt: created(5), updatedAt: created(5) },
      { title: "Undated low", priority: "low", createdAt: created(0), updatedAt: created(0) },
    ]);
    const byDue = (a: Task, b: Task) => (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) || (a.id < b.id ? -1 : 1);
    const rank = { low: 0, medium: 1, high: 2, urgent: 3 };
    const expected: Record<string, (a: Task, b: Task) => number> = {
      due: byDue,
      priority: (a, b) => rank[b.priority] - rank[a.priority] || byDue(a, b),
      created: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
      updated: (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : -1),
    };
    for (const [sort, compare] of Object.entries(expected)) {
      const want = [...rows].sort(compare).map((r) => r.id);
      expect(await listIds(browser, `?sort=${sort}`), sort).toEqual(want);
      expect(await listIds(browser, `?sort=${sort}`), `${sort} again`).toEqual(want);
    }
    expect((await listIds(browser, "?sort=priority")).slice(0, 2)).toEqual([rows[5]!.id, rows[6]!.id]);
    expect((await listIds(browser, "?sort=due")).slice(-2)).toEqual([rows[6]!.id, rows[7]!.id].sort());

    // An edit moves a task to the top of "recently updated" and leaves "newest" alone.
    t.clock.set("2026-06-20T00:00:00Z");
    await browser.post(`/tasks/${rows[4]!.id}`, { title: "Early low, edited", priority: "low", due_date: "2026-07-01", due_time: "01:00" });
    expect((await listIds(browser, "?sort=updated"))[0]).toBe(rows[4]!.id);
    expect((await listIds(browser, "?sort=created")).at(-1)).toBe(rows[7]!.id);
  });
});

describe("tasks: keyset paging", () => {
  async function follow(browser: Browser, first: string, between: () => Promise<unknown>) {
    const pages: string[][] = [];
    let url: string | null = first;
    while (url) {
      const html = await (await browser.get(url)).text();
      pages.push(taskIdsIn(html));
      url = html.match(/<li class="more"><a class="button" href="([^"]+)"/)?.[1]?.replace(/&amp;/g, "&") ?? null;
      if (url) expect(url).toMatch(/[?&]cursor=/);
      if (pages.length === 1) await between();
      if (pages.length > 10) throw new Error("paging does not end");
    }
    return pages;
  }

  it("yields every task exactly once, in order, for every sort, even as tasks are added", async () => {
    const { browser, userId } = await signedIn(t);
    const base = Date.UTC(2026, 6, 1);
    const rows = await insertTasks(
      t,
      userId,
      Array.from({ length: 120 }, (_, i) => ({
        title: `Paged ${String(i).padStart(3, "0")}`,
        priority: (["low", "medium", "high", "urgent"] as const)[i % 4],
        ...(i % 7 === 0 ? {} : { dueDate: "2026-07-01", dueAt: new Date(base + (i % 10) * 3600_000) }),
        createdAt: new Date(base - Math.floor(i / 3) * 60_000),
        updatedAt: new Date(base - (i % 17) * 60_000),
      })),
    );
    const original = new Set(rows.map((r) => r.id));
    const byDue = (a: Task, b: Task) => (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) || (a.id < b.id ? -1 : 1);
    const rank = { low: 0, medium: 1, high: 2, urgent: 3 };
    const compare: Record<string, (a: Task, b: Task) => number> = {
      due: byDue,
      priority: (a, b) => rank[b.priority] - rank[a.priority] || byDue(a, b),
      created: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
      updated: (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : -1),
    };
    for (const [sort, cmp] of Object.entries(compare)) {
      let added = 0;
      const { result: pages, statements } = await capturingSql(t, () => follow(browser, `/tasks?sort=${sort}`, async () => {
        added += 1;
        // One new task sorts into the pages still to come, one before everything already shown
        // (which an OFFSET would turn into a repeated row).
        await insertTasks(t, userId, [
          { title: `Added later ${sort}`, priority: "medium", dueDate: "2026-07-01", dueAt: new Date(base + 5 * 3600_000), createdAt: new Date(base - 20 * 60_000), updatedAt: new Date(base - 8 * 60_000) },
          { title: `Added first ${sort}`, priority: "urgent", dueDate: "2026-06-30", dueAt: new Date(base - 3600_000), createdAt: new Date(base + 60_000), updatedAt: new Date(base + 60_000) },
        ]);
      }));
      expect(statements.filter((q) => /\boffset\b/i.test(q)), sort).toEqual([]);
      expect(statements.some((q) => /\blimit\b/i.test(q))).toBe(true);
      expect(pages[0], sort).toHaveLength(50);
      const all = pages.flat();
      expect(new Set(all).size, `${sort}: no task twice`).toBe(all.length);
      const seen = all.filter((id) => original.has(id));
      expect(seen, sort).toEqual([...rows].sort(cmp).map((r) => r.id));
      expect(added).toBe(1);
    }
  });

  it("keeps filters on the Load more link and pages within them", async () => {
    const { browser, userId } = await signedIn(t);
    const rows = await insertTasks(t, userId, Array.from({ length: 120 }, (_, i) => ({ title: `Filtered ${i}`, priority: i % 2 ? ("high" as const) : ("low" as const) })));
    const pages = await follow(browser, "/tasks?priority=high&q=filtered&sort=created", async () => {
      const html = await (await browser.get("/tasks?priority=high&q=filtered&sort=created")).text();
      expect(html.match(/<li class="more"><a class="button" href="([^"]+)"/)?.[1]?.replace(/&amp;/g, "&")).toMatch(/^\/tasks\?priority=high&q=filtered&sort=created&cursor=/);
    });
    expect(pages.map((p) => p.length)).toEqual([50, 10]);
    expect(new Set(pages.flat())).toEqual(new Set(rows.filter((r) => r.priority === "high").map((r) => r.id)));
  });
});

describe("the new-task form on a filtered list", () => {
  // Its markup is rendered once per list URL (src/views/render-once.ts): each list must still get
  // the form that returns to it, whichever list was shown first.
  it("returns to the list it was opened on, for each list in turn", async () => {
    const { browser } = await signedIn(t, "America/New_York");
    const nextOf = async (url: string) => {
      const page = await (await browser.get(url)).text();
      const form = page.match(/<div id="new-task" class="task-form">[\s\S]*?<\/form>/)?.[0] ?? "";
      return form.match(/name="next" value="([^"]*)"/)?.[1]?.replace(/&amp;/g, "&");
    };
    expect(await nextOf("/tasks")).toBe("/tasks");
    expect(await nextOf("/tasks?priority=high&status=todo")).toBe("/tasks?status=todo&priority=high");
    expect(await nextOf("/tasks?due=week")).toBe("/tasks?due=week");
    expect(await nextOf("/tasks")).toBe("/tasks");
  });
});
