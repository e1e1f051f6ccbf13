import { describe, expect, it } from "vitest";
import { tasks } from "../src/db/schema.js";
import { eq } from "drizzle-orm";
import { dbTask, fieldError, formValue, insertTasks, signedIn } from "./support/tasks.js";
import { makeTestApp, taskIdsIn, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

const good = { title: "Valid title", notes: "Some notes", priority: "high", status: "in_progress", due_date: "2026-06-20", due_time: "10:00" };
type Field = keyof typeof good;

async function ownTaskCount(userId: string) {
  return (await t.database.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, userId))).length;
}

/** Asserts a 422 form that shows every typed value again and a message exactly beside the given fields. */
function expectFormAgain(html: string, typed: Record<string, string>, faulty: Field[], taskId?: string) {
  expect(html).toContain("Please correct the fields marked below.");
  for (const name of ["title", "notes", "due_date", "due_time"] as const) expect(formValue(html, name)).toBe(typed[name] ?? "");
  for (const name of ["priority", "status"] as const) {
    // A choice that is not on the list cannot be pre-selected; a valid one must be.
    if (!faulty.includes(name)) expect(formValue(html, name)).toBe(typed[name]);
  }
  for (const name of Object.keys(good) as Field[]) {
    if (faulty.includes(name)) expect(fieldError(html, name, taskId), `message beside ${name}`).toBeTruthy();
    else expect(fieldError(html, name, taskId), `no message beside ${name}`).toBeNull();
  }
}

describe("tasks: bad input", () => {
  const cases: [string, Partial<typeof good>, Field[], RegExp][] = [
    ["empty title", { title: "" }, ["title"], /Give the task a title/],
    ["blank title", { title: "   " }, ["title"], /Give the task a title/],
    ["201-char title", { title: "x".repeat(201) }, ["title"], /200 characters \(it has 201\)/],
    ["10,001-char notes", { notes: "n".repeat(10_001) }, ["notes"], /10,000 characters/],
    ["unknown priority", { priority: "critical" }, ["priority"], /low, medium, high or urgent/],
    ["unknown status", { status: "blocked" }, ["status"], /to do, in progress or done/],
    ["30 February", { due_date: "2026-02-30" }, ["due_date"], /real date/],
    ["month 13", { due_date: "2026-13-01" }, ["due_date"], /real date/],
    ["a word for a date", { due_date: "tomorrow" }, ["due_date"], /real date/],
    ["hour 25", { due_time: "25:00" }, ["due_time"], /HH:MM/],
    ["a time without a date", { due_date: "", due_time: "09:00" }, ["due_date"], /A time needs a date/],
    ["control characters in the title", { title: "Bell\u0007 here" }, ["title"], /can't be shown/],
    ["a NUL in the notes", { notes: "zero\u0000byte" }, ["notes"], /can't be shown/],
  ];

  it.each(cases)("create with %s: 422, values kept, message beside the field", async (_name, change, faulty, message) => {
    const { browser, userId } = await signedIn(t);
    const typed = { ...good, ...change };
    const res = await browser.post("/tasks", typed);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("<html");
    expectFormAgain(html, typed, faulty);
    expect(fieldError(html, faulty[0]!)).toMatch(message);
    expect(await ownTaskCount(userId)).toBe(0);
  });

  it("shows a message beside every faulty field at once", async () => {
    const { browser } = await signedIn(t);
    const typed = { title: "", notes: "n".repeat(10_001), priority: "extreme", status: "stuck", due_date: "2026-13-01", due_time: "25:00" };
    const res = await browser.post("/tasks", typed);
    expect(res.status).toBe(422);
    expectFormAgain(await res.text(), typed, ["title", "notes", "priority", "status", "due_date", "due_time"]);
  });

  it("accepts the limits exactly: a 200-char title and 10,000-char notes", async () => {
    const { browser } = await signedIn(t);
    const title = "t".repeat(199) + "!";
    const id = await browser.createTask({ title, notes: "n".repeat(10_000) });
    expect((await dbTask(t, id))!.title).toHaveLength(200);
    expect((await dbTask(t, id))!.notes).toHaveLength(10_000);
  });

  it("counts characters as people do: an emoji is one", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "🚀".repeat(150) });
    expect([...(await dbTask(t, id))!.title]).toHaveLength(150);
    // Multipart keeps 10,000 emoji (40,000 bytes) under the 64 KiB body limit; URL-encoding would not.
    const multipart = (title: string, notes: string) => {
      const body = new FormData();
      body.append("title", title);
      body.append("notes", notes);
      return browser.request("POST", "/tasks", { body });
    };
    expect((await multipart("Many emoji", "👍".repeat(10_000))).status).toBe(303);
    const res = await multipart("🚀".repeat(201), "👍".repeat(10_001));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, "title")).toMatch(/\(it has 201\)/);
    expect(fieldError(html, "notes")).toMatch(/they have 10,001/);
  });

  it("update with bad input: 422 edit form, values kept, task unchanged", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Untouched" });
    const before = await dbTask(t, id);
    const typed = { ...good, title: "y".repeat(201), due_date: "2026-02-30" };
    for (const method of ["POST", "PATCH"]) {
      const res = await browser.request(method, `/tasks/${id}`, { form: typed });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(`action="/tasks/${id}"`);
      expectFormAgain(html, typed, ["title", "due_date"], id);
    }
    expect(await dbTask(t, id)).toEqual(before);
  });
});

describe("tasks: no input produces a 500", () => {
  it("takes the first of repeated fields", async () => {
    const { browser } = await signedIn(t);
    const res = await browser.post("/tasks", { title: ["First wins", "Second"], priority: ["urgent", "bogus"] });
    expect(res.status).toBe(303);
    const list = textOf(await (await browser.get("/tasks")).text());
    expect(list).toContain("First wins");
    expect(list).toContain("Urgent");
  });

  it("treats a file sent as the title as no title, and accepts plain multipart", async () => {
    const { browser } = await signedIn(t);
    const withFile = new FormData();
    withFile.append("title", new Blob(["evil"], { type: "text/plain" }), "title.txt");
    const res = await browser.request("POST", "/tasks", { body: withFile });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), "title")).toMatch(/Give the task a title/);

    const plain = new FormData();
    plain.append("title", "Multipart task");
    expect((await browser.request("POST", "/tasks", { body: plain })).status).toBe(303);
    expect(textOf(await (await browser.get("/tasks")).text())).toContain("Multipart task");
  });

  it("answers malformed and foreign bodies with the form again", async () => {
    const { browser } = await signedIn(t);
    const bodies: [string, string][] = [
      ["application/json", JSON.stringify({ title: "json" })],
      ["text/plain", "title=plain"],
      ["multipart/form-data; boundary=nope", "--other\r\ncontent-disposition: form-data; name=title\r\n\r\nx\r\n"],
      ["application/x-www-form-urlencoded", "title=%E0%A4%A&notes=%"],
    ];
    for (const [type, body] of bodies) {
      const res = await browser.request("POST", "/tasks", { body, headers: { "content-type": type } });
      expect(res.status, type).toBeLessThan(500);
      expect([303, 422]).toContain(res.status);
    }
  });

  it("stores tabs and newlines in notes, and exotic text, as typed", async () => {
    const { browser } = await signedIn(t);
    const notes = "a\tb\r\nc\nd 🚀 \u202eRTL";
    const id = await browser.createTask({ title: "Ünïcødé 🚀 ✓", notes });
    expect(await dbTask(t, id)).toMatchObject({ title: "Ünïcødé 🚀 ✓", notes: "a\tb\nc\nd 🚀 \u202eRTL" });
  });

  it("refuses bodies over 64 KiB with 413, and not a 60 KiB one", async () => {
    const { browser, userId } = await signedIn(t);
    const huge = await browser.post("/tasks", { title: "Huge", notes: "x".repeat(10 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(textOf(await huge.text())).toContain("64 KiB");
    const over = await browser.post("/tasks", { title: "Over", notes: "x".repeat(65 * 1024) });
    expect(over.status).toBe(413);
    const withLength = "title=Sized&notes=" + "x".repeat(65 * 1024);
    const declared = await browser.request("POST", "/tasks", { body: withLength, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(withLength.length) } });
    expect(declared.status).toBe(413);
    const htmx = await browser.post("/tasks", { title: "Over", notes: "x".repeat(65 * 1024) }, { htmx: true });
    expect(htmx.status).toBe(413);
    expect(await htmx.text()).not.toContain("<html");
    expect(await ownTaskCount(userId)).toBe(0);

    const under = await browser.post("/tasks", { title: "Under", notes: "x".repeat(60 * 1024) });
    expect(under.status).toBe(422);
    expect(fieldError(await under.text(), "notes")).toMatch(/10,000 characters/);
  });

  it("answers 404 for unknown and malformed ids on every route", async () => {
    const { browser } = await signedIn(t);
    const ids = [crypto.randomUUID(), "123", "not-a-uuid", "00000000-0000-0000-0000-00000000000g", `${crypto.randomUUID()}x`, "%27%20or%201%3D1--", "%00"];
    for (const id of ids) {
      const routes: [string, string][] = [
        ["GET", `/tasks/${id}`],
        ["GET", `/tasks/${id}/edit`],
        ["POST", `/tasks/${id}`],
        ["PATCH", `/tasks/${id}`],
        ["POST", `/tasks/${id}/delete`],
        ["DELETE", `/tasks/${id}`],
        ["POST", `/tasks/${id}/complete`],
        ["POST", `/tasks/${id}/reopen`],
      ];
      for (const [method, path] of routes) {
        const res = await browser.request(method, path, method === "GET" ? {} : { form: { title: "Valid" } });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(textOf(await res.text())).toContain("There is no such task");
      }
    }
  });

  it("ignores garbage cursors and starts the list from the top", async () => {
    const { browser, userId } = await signedIn(t);
    await insertTasks(t, userId, Array.from({ length: 3 }, (_, i) => ({ title: `Cursor ${i}`, dueAt: new Date(Date.UTC(2026, 6, i + 1)), dueDate: `2026-07-0${i + 1}` })));
    const top = taskIdsIn(await (await browser.get("/tasks")).text());
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const id = crypto.randomUUID();
    const cursors = [
      "!!!", "%00", "a".repeat(5000), enc(null), enc("x"), enc([1, 2]), enc({ at: "soon", id }), enc({ at: 1, id: "nope" }),
      enc({ at: 1e20, id }), enc({ at: -1e20, id }), enc({ at: 8.64e15 + 1, id }), enc({ at: 253402300800000, id }),
    ];
    for (const sort of ["due", "priority", "created", "updated"]) {
      for (const cursor of cursors) {
        const res = await browser.get(`/tasks?sort=${sort}&cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, `${sort} ${cursor}`).toBe(200);
        const ids = taskIdsIn(await res.text());
        expect(new Set(ids), `${sort} ${cursor}`).toEqual(new Set(top));
      }
    }
    for (const rank of [9, -1, 1.5, "high"]) {
      const res = await browser.get(`/tasks?sort=priority&cursor=${enc({ at: null, id, rank })}`);
      expect(res.status).toBe(200);
      expect(taskIdsIn(await res.text())).toHaveLength(3);
    }
  });

  it("ignores unknown filter values and still lists", async () => {
    const { browser } = await signedIn(t);
    const id = await browser.createTask({ title: "Always listed" });
    for (const q of ["status=blocked", "priority=extreme&priority=", "due=yesterday", "sort=random", "status[]=todo", "due=overdue%00", "q=%00%01%7F", `q=${"z".repeat(3000)}`]) {
      const res = await browser.get(`/tasks?${q}`);
      expect(res.status, q).toBe(200);
      if (!q.startsWith("q=") && q !== "due=overdue%00") expect(taskIdsIn(await res.text()), q).toEqual([id]);
    }
  });

  it("takes dates at the ends of the range in the extreme zones, and refuses beyond them", async () => {
    for (const zone of ["America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]) {
      const { browser } = await signedIn(t, zone);
      for (const [date, time] of [["9998-12-31", ""], ["9998-12-31", "23:59"], ["1900-01-01", "00:00"], ["2026-03-08", "02:30"], ["2026-11-01", "01:30"]]) {
        const res = await browser.post("/tasks", { title: `Edge ${zone} ${date} ${time}`, due_date: date!, due_time: time! });
        expect(res.status, `${zone} ${date} ${time}`).toBe(303);
      }
      for (const date of ["9999-12-31", "1899-12-31", "0000-01-01"]) {
        const res = await browser.post("/tasks", { title: "Out of range", due_date: date });
        expect(res.status, `${zone} ${date}`).toBe(422);
        expect(fieldError(await res.text(), "due_date")).toMatch(/from 1900-01-01 to 9998-12-31/);
      }
      for (const sort of ["due", "priority", "created", "updated"]) expect((await browser.get(`/tasks?sort=${sort}`)).status).toBe(200);
      expect((await browser.post("/settings", { name: "Ada", timezone: zone === "Etc/GMT+12" ? "Pacific/Kiritimati" : "Etc/GMT+12" })).status).toBe(303);
      expect(textOf(await (await browser.get("/tasks")).text())).toContain("Edge");
    }
  });
});
