import Papa from "papaparse";
import { beforeEach, describe, expect, it } from "vitest";
import { reminderItems, reminderOutbox, type Task } from "../src/db/schema.js";
import { dueMoment } from "../src/tasks/due.js";
import { bulkTasks, countOf, person, refusedRows, tasksOf, upload } from "./support/transfer.js";
import { capturingSql } from "./support/tasks.js";
import { makeTestApp, textOf } from "./support/test-app.js";

const NOW = "2026-06-15T12:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

/** Everything a user owns in a task, i.e. all but the id and the owner. */
function fields(task: Task) {
  const { id: _id, userId: _userId, ...rest } = task;
  return rest;
}

/** A user with one task of every kind the form can make: timed, dated, undated, done, reminders off, awkward text, repeating. */
async function userWithVariedTasks(timezone = "Europe/Berlin") {
  const who = await person(t, timezone);
  const add = async (form: Record<string, string>) => {
    const res = await who.browser.post("/tasks", form);
    expect(res.status, form.title).toBe(303);
    t.clock.advance(60_000);
  };
  await add({ title: "Call the plumber", priority: "high", due_date: "2026-06-20", due_time: "09:15", notes: "Ask about the boiler" });
  await add({ title: "Pay rent", priority: "urgent", due_date: "2026-07-01", status: "in_progress" });
  await add({ title: "Read “Dune” ☕", priority: "low", notes: 'Line one\nline two, with a comma and "quotes"', reminders: "off" });
  await add({ title: "=SUM(A1:A9)", notes: "-starts with a minus\n=and a formula on line two" });
  await add({ title: "File taxes", due_date: "2026-03-31", due_time: "23:59", status: "done" });
  // A repeating task (issue #13): its rule and what it counts from travel with it.
  const repeating = await who.browser.post("/tasks/quick", { text: "Water the plants every! 3 days" });
  expect(repeating.status).toBe(303);
  t.clock.advance(60_000);
  const done = (await tasksOf(t, who.userId)).find((task) => task.title === "Pay rent")!;
  t.clock.advance(3600_000);
  expect((await who.browser.post(`/tasks/${done.id}/complete`)).status).toBe(303);
  return who;
}

async function exportJson(browser: Awaited<ReturnType<typeof person>>["browser"]) {
  const res = await browser.get("/export.json");
  expect(res.status).toBe(200);
  return { res, text: await res.text() };
}

describe("export and import: JSON", () => {
  it("exports every task field, the settings and the reminder history as a download named by the local date", async () => {
    const who = await userWithVariedTasks("Pacific/Kiritimati");
    const [task] = await tasksOf(t, who.userId);
    const [mail] = await t.database.db
      .insert(reminderOutbox)
      .values({
        userId: who.userId,
        kind: "digest",
        dedupeKey: `digest:${who.userId}:2026-06-14`,
        localDate: "2026-06-14",
        status: "sent",
        nextAttemptAt: new Date("2026-06-14T08:00:00Z"),
        expiresAt: new Date("2026-06-15T00:00:00Z"),
        toAddress: who.email,
        subject: "2 tasks need you today",
        htmlBody: "<p>secret-body</p>",
        textBody: "secret-body",
        unsubscribeUrl: "http://smarttask.test/email/unsubscribe?token=secret-token",
        createdAt: new Date("2026-06-14T08:00:00Z"),
        sentAt: new Date("2026-06-14T08:00:05Z"),
      })
      .returning();
    await t.database.db.insert(reminderItems).values({ outboxId: mail!.id, taskId: task!.id, grp: "today", slot: "due" });

    const { res, text } = await exportJson(who.browser);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    // 12:00 UTC is already the 16th in Kiritimati (UTC+14).
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="smarttask-2026-06-16.json"');
    expect(res.headers.get("cache-control")).toContain("no-store");

    const data = JSON.parse(text);
    expect(data).toMatchObject({ format: "smarttask-export", version: 1, exportedAt: t.clock.now().toISOString() });
    expect(data.user).toEqual({
      name: "Ada Lovelace",
      email: who.email,
      timezone: "Pacific/Kiritimati",
      reminders: { enabled: true, hour: 8, leadDays: [2, 1], overdue: true, delivery: "digest", pausedReason: null },
    });
    const stored = await tasksOf(t, who.userId);
    expect(data.tasks).toEqual(
      stored.map((s) => ({
        id: s.id,
        title: s.title,
        notes: s.notes,
        priority: s.priority,
        status: s.status,
        dueDate: s.dueDate,
        dueTime: s.dueTime?.slice(0, 5) ?? null,
        dueAt: s.dueAt?.toISOString() ?? null,
        createdAt: s.createdAt.toISOString(),
        updatedAt: s.updatedAt.toISOString(),
        completedAt: s.completedAt?.toISOString() ?? null,
        remindersEnabled: s.remindersEnabled,
        repeat: s.rrule,
        repeatFrom: s.repeatFrom,
      })),
    );
    expect(data.reminderHistory).toEqual([
      {
        id: mail!.id,
        kind: "digest",
        status: "sent",
        subject: "2 tasks need you today",
        localDate: "2026-06-14",
        queuedAt: "2026-06-14T08:00:00.000Z",
        sentAt: "2026-06-14T08:00:05.000Z",
        taskIds: [task!.id],
      },
    ]);
    // The mail's body and its links (they carry tokens) stay out.
    expect(text).not.toContain("secret-body");
    expect(text).not.toContain("secret-token");
  });

  it("round-trips every task field through an import into another account", async () => {
    const from = await userWithVariedTasks();
    const { text } = await exportJson(from.browser);
    const to = await person(t, "Europe/Berlin");
    t.clock.advance(86_400_000);

    const res = await upload(to.browser, text, "backup.json", "application/json");
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("Imported 6 tasks from the JSON file.");

    const original = await tasksOf(t, from.userId);
    const imported = await tasksOf(t, to.userId);
    expect(imported.map(fields)).toEqual(original.map(fields));
    // New ids, never the file's.
    expect(imported.map((task) => task.id).filter((id) => original.some((o) => o.id === id))).toEqual([]);
  });

  it("pages through more tasks than one page, ties on the creation time included, each exactly once", async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, 1203);
    const { result: text, statements } = await capturingSql(t, async () => (await exportJson(who.browser)).text);
    // Three bounded reads of tasks (500, 500, 203), never one read of them all.
    expect(statements.filter((q) => /from "tasks"/.test(q) && /limit/.test(q))).toHaveLength(3);
    const ids: string[] = JSON.parse(text).tasks.map((task: { id: string }) => task.id);
    expect(ids).toHaveLength(1203);
    expect(new Set(ids).size).toBe(1203);
    expect(ids).toEqual([...ids].sort());
  });

  it("exports an account without tasks or history as empty lists", async () => {
    const who = await person(t);
    const data = JSON.parse((await exportJson(who.browser)).text);
    expect(data.tasks).toEqual([]);
    expect(data.reminderHistory).toEqual([]);
  });
});

describe("export and import: CSV", () => {
  it("exports a header row and one row per task, ISO 8601 dates, RFC 4180 quoting", async () => {
    const who = await userWithVariedTasks("UTC");
    const res = await who.browser.get("/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="smarttask-2026-06-15.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A UTF-8 byte order mark, so spreadsheets read accented letters right.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("title,notes,priority,status,due_date,due_time,reminders,created_at,completed_at,repeat,repeat_from");
    expect(lines[1]).toBe("Call the plumber,Ask about the boiler,high,todo,2026-06-20,09:15,on,2026-06-15T12:00:00.000Z,,,");
    // A cell holding the delimiter, quotes or a line break is quoted, quotes doubled, the line break kept inside.
    expect(text).toContain('"Line one\nline two, with a comma and ""quotes"""');
    expect(text.endsWith("\r\n")).toBe(true);

    const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(7);
    const done = rows.find((r) => r[0] === "File taxes")!;
    expect(done.slice(2)).toEqual(["medium", "done", "2026-03-31", "23:59", "on", "2026-06-15T12:04:00.000Z", "2026-06-15T12:04:00.000Z", "", ""]);
    const repeating = rows.find((r) => r[0] === "Water the plants")!;
    expect(repeating.slice(9)).toEqual(["FREQ=DAILY;INTERVAL=3", "completion"]);
    expect(rows.find((r) => r[0]!.startsWith("Read"))![6]).toBe("off");
  });

  it("guards cells a spreadsheet would run as formulas, and an import takes the guard off again", async () => {
    const who = await person(t);
    const risky = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2", "@SUM(A1)", "'=already quoted", "plain 'quote", "a=b"];
    for (const title of risky) {
      expect((await who.browser.post("/tasks", { title, notes: title === "-2" ? "\tindented\n=second line" : "" })).status).toBe(303);
      t.clock.advance(1000);
    }
    const text = await (await who.browser.get("/export.csv")).text();
    const cells = Papa.parse<string[]>(text, { skipEmptyLines: true }).data.slice(1);
    const titles = cells.map((r) => r[0]);
    expect(titles).toEqual(["'=HYPERLINK(\"http://evil.example\")", "'+1+1", "'-2", "'@SUM(A1)", "''=already quoted", "plain 'quote", "a=b"]);
    expect(cells[2]![1]).toBe("'\tindented\n=second line");
    // In the file itself every guarded cell is quoted (papaparse), so the apostrophe is inside the cell.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);

    const to = await person(t);
    expect((await upload(to.browser, text)).status).toBe(200);
    const back = await tasksOf(t, to.userId);
    expect(back.map((task) => task.title).sort()).toEqual([...risky].sort());
    expect(back.find((task) => task.title === "-2")!.notes).toBe("\tindented\n=second line");
  });

  it("round-trips the CSV's fields through an import", async () => {
    const from = await userWithVariedTasks("America/New_York");
    const text = await (await from.browser.get("/export.csv")).text();
    const to = await person(t, "America/New_York");
    t.clock.set("2026-06-20T08:00:00Z");
    const res = await upload(to.browser, text, "tasks.csv");
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("Imported 6 tasks from the CSV file.");

    const csvFields = (task: Task) => {
      const { id: _i, userId: _u, updatedAt: _up, ...rest } = task;
      return rest;
    };
    const original = await tasksOf(t, from.userId);
    const imported = await tasksOf(t, to.userId);
    expect(imported.map(csvFields)).toEqual(original.map(csvFields));
    // The CSV has no updated_at: the import is the last change.
    expect(imported.every((task) => task.updatedAt.toISOString() === "2026-06-20T08:00:00.000Z")).toBe(true);
  });

  it("reads a spreadsheet's CSV: semicolons, headers in any case, a byte order mark, seconds of zero, only some columns", async () => {
    const who = await person(t, "Asia/Tokyo");
    const csv = "\uFEFFTitle;Due_Date;DUE_TIME;Priority;Status;Reminders;Extra column\r\nBuy milk;2026-06-18;09:30:00;High;Done;no;ignored\r\nCall mum;;;;;;\r\n;;;;;;\r\n";
    const res = await upload(who.browser, csv, "export from a spreadsheet.txt", "application/octet-stream");
    expect(res.status).toBe(200);
    const [milk, mum] = await tasksOf(t, who.userId).then((list) => list.sort((a, b) => a.title.localeCompare(b.title)));
    expect(milk).toMatchObject({ title: "Buy milk", dueDate: "2026-06-18", dueTime: "09:30:00", priority: "high", status: "done", remindersEnabled: false });
    expect(milk!.completedAt).toEqual(t.clock.now());
    expect(mum).toMatchObject({ title: "Call mum", dueDate: null, priority: "medium", status: "todo", remindersEnabled: true, completedAt: null });
  });
});

describe("import: due moments and the page", () => {
  it("works out each due moment in the importer's zone exactly as creating the task does", async () => {
    const who = await person(t, "America/Sao_Paulo");
    const csv = "title,due_date,due_time\r\nTimed,2026-11-01,00:30\r\nDated,2026-03-08,\r\n";
    expect((await upload(who.browser, csv)).status).toBe(200);
    expect((await who.browser.post("/tasks", { title: "Typed", due_date: "2026-11-01", due_time: "00:30" })).status).toBe(303);
    const list = await tasksOf(t, who.userId);
    const byTitle = (title: string) => list.find((task) => task.title === title)!;
    expect(byTitle("Timed").dueAt).toEqual(byTitle("Typed").dueAt);
    expect(byTitle("Timed").dueAt).toEqual(dueMoment("2026-11-01", "00:30", "America/Sao_Paulo"));
    expect(byTitle("Dated").dueAt).toEqual(dueMoment("2026-03-08", null, "America/Sao_Paulo"));
  });

  it("shows the export links, the upload form and the room left under the cap", async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, 12);
    const res = await who.browser.get("/import");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/export.json"');
    expect(html).toContain('href="/export.csv"');
    expect(html).toMatch(/<form method="post" action="\/import" enctype="multipart\/form-data">/);
    expect(html).toMatch(/<input id="file" name="file" type="file"/);
    const text = textOf(html);
    expect(text).toContain("you have 12 tasks, so there is room for 9,988 more");
    expect(text).toContain("importing an export into the account it came from gives you each task twice");
  });

  it("imports the same export twice as twice the tasks, and says how many each time", async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, 3);
    const { text } = await exportJson(who.browser);
    const res = await upload(who.browser, text, "smarttask.json", "application/json");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(textOf(html)).toContain("Imported 3 tasks");
    expect(refusedRows(html)).toEqual([]);
    expect(await countOf(t, who.userId)).toBe(6);
  });
});
