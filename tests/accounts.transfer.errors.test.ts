import { describe, expect, it } from "vitest";
import { MAX_TASKS_PER_USER } from "../src/db/task-cap.js";
import { insertImportedTasks, type ImportedTask } from "../src/db/task-transfer.js";
import { fieldError, formValue } from "./support/tasks.js";
import { bulkTasks, countOf, person, refusedRows, tasksOf, titlesCsv, upload } from "./support/transfer.js";
import { makeTestApp, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

/** The message beside the file input of the import form. */
function fileError(html: string): string | null {
  return html.match(/<small id="file-error" class="error">([\s\S]*?)<\/small>/)?.[1] ?? null;
}

describe("import: refused rows leave nothing imported", () => {
  it("reports the one bad row in the middle of 500 CSV rows, with its number and what was wrong", async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, 2);
    const csv = titlesCsv(500, (n) => (n === 250 ? "Bad date,2026-02-30" : undefined));
    const res = await upload(who.browser, csv);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(textOf(html)).toContain("Nothing was imported: 1 of the file's 500 rows was refused.");
    expect(refusedRows(html)).toEqual([[250, "due_date: Use a real date, as YYYY-MM-DD."]]);
    expect(await countOf(t, who.userId)).toBe(2);
  });

  it("refuses a repetition it cannot read, one without a due date, and an unknown repeat_from, row by row", async () => {
    const who = await person(t);
    const csv = [
      "title,due_date,repeat,repeat_from",
      "Fine,2026-07-01,FREQ=WEEKLY;BYDAY=MO,due",
      "Hourly,2026-07-01,FREQ=HOURLY,",
      "Undated,,FREQ=DAILY,",
      "Odd start,2026-07-01,FREQ=DAILY,tomorrow",
    ].join("\n");
    const res = await upload(who.browser, csv);
    expect(res.status).toBe(422);
    const rows = refusedRows(await res.text());
    expect(rows.map(([n]) => n)).toEqual([2, 3, 4]);
    expect(rows[0]![1]).toMatch(/^repeat: .*cannot be read/);
    expect(rows[1]![1]).toMatch(/^repeat: A repeating task needs a due date/);
    expect(rows[2]![1]).toBe("repeat_from: use due or completion.");
    expect(await countOf(t, who.userId)).toBe(0);
  });

  it("lists every refused row of a JSON file with each problem, by the file's own field names", async () => {
    const who = await person(t);
    const good = { title: "Fine", priority: "low" };
    const list: unknown[] = Array.from({ length: 500 }, () => good);
    list[9] = { title: "", dueTime: "25:00" };
    list[199] = { title: 42 };
    list[299] = { title: "Odd", priority: "critical", remindersEnabled: "yes", createdAt: "yesterday" };
    list[399] = "not a task";
    const file = JSON.stringify({ format: "smarttask-export", version: 1, tasks: list });
    const res = await upload(who.browser, file, "export.json", "application/json");
    expect(res.status).toBe(422);
    const rows = refusedRows(await res.text());
    expect(rows.map(([row]) => row)).toEqual([10, 200, 300, 400]);
    expect(rows[0]![1]).toContain("title: Give the task a title.");
    expect(rows[0]![1]).toContain("dueTime: Use a time of day, as HH:MM (24-hour).");
    expect(rows[1]![1]).toBe("title: use text (in quotes).");
    expect(rows[2]![1]).toContain("remindersEnabled: use true or false.");
    expect(rows[3]![1]).toBe("This entry is not a task (an object with a title).");
    const oddTask = list[299] as Record<string, unknown>;
    const odd = await upload(who.browser, JSON.stringify({ format: "smarttask-export", version: 1, tasks: [oddTask, { ...oddTask, remindersEnabled: true }] }), "e.json");
    const oddRows = refusedRows(await odd.text());
    expect(oddRows[1]![1]).toContain("priority: Choose low, medium, high or urgent.");
    expect(oddRows[1]![1]).toContain("createdAt: use an ISO 8601 date and time with its offset");
    expect(await countOf(t, who.userId)).toBe(0);
  });

  it("refuses rows with more or fewer cells than the header", async () => {
    const who = await person(t);
    const res = await upload(who.browser, "title,notes\r\nOne,a\r\nTwo\r\nThree,b,c\r\nFour,d\r\n");
    expect(res.status).toBe(422);
    expect(refusedRows(await res.text())).toEqual([
      [2, "This row has fewer cells than the header row."],
      [3, "This row has more cells than the header row."],
    ]);
    expect(await countOf(t, who.userId)).toBe(0);
  });

  it("refuses a CSV whose quoting is broken, naming the line", async () => {
    const who = await person(t);
    const res = await upload(who.browser, 'title,notes\r\nOne,fine\r\nTwo,"never closed\r\nThree,x\r\n');
    expect(res.status).toBe(422);
    expect(fileError(await res.text())).toContain("The CSV&#39;s quoting is broken on line 3");
    expect(await countOf(t, who.userId)).toBe(0);
  });
});

describe("import: limits", () => {
  it(`refuses a file of more than 10,000 rows with a clear 422`, async () => {
    const who = await person(t);
    const res = await upload(who.browser, titlesCsv(10_001));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fileError(html)).toBe("The file has 10,001 tasks; one import takes at most 10,000. Nothing was imported. Split it into smaller files and import each.");
    expect(html).toContain('role="alert"');
    expect(await countOf(t, who.userId)).toBe(0);
  });

  it("takes exactly 10,000 rows in one import", async () => {
    const who = await person(t);
    const res = await upload(who.browser, titlesCsv(10_000));
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("Imported 10,000 tasks");
    expect(await countOf(t, who.userId)).toBe(10_000);
  });

  it("answers 413 to an upload over 5 MB and imports nothing, whether the request or only the file is too large", async () => {
    const who = await person(t);
    const line = `${"x".repeat(99)},2026-07-01\r\n`;
    const big = `title,due_date\r\n${line.repeat(Math.ceil((6 * 1024 * 1024) / line.length))}`;
    const res = await upload(who.browser, big);
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(fileError(html)).toContain("The file is larger than 5 MB, the most one import takes. Nothing was imported.");
    expect(html).toContain('<form method="post" action="/import"');

    // Just over 5 MB of file: the request passes its limit (room for the multipart framing), the file does not.
    const justOver = `title\r\n${"y".repeat(5 * 1024 * 1024 - 6)}`;
    expect(new TextEncoder().encode(justOver).byteLength).toBe(5 * 1024 * 1024 + 1);
    expect((await upload(who.browser, justOver)).status).toBe(413);
    expect(await countOf(t, who.userId)).toBe(0);
  });

  it("counts the cap with the tasks the user already has", async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, MAX_TASKS_PER_USER - 10);
    const over = await upload(who.browser, titlesCsv(11));
    expect(over.status).toBe(422);
    expect(fileError(await over.text())).toBe(
      "You have 9,990 tasks and the file has 11: together more than the 10,000 SmartTask keeps for one person. Nothing was imported. There is room for 10 more; delete tasks or import a shorter file.",
    );
    expect(await countOf(t, who.userId)).toBe(9_990);
    expect((await upload(who.browser, titlesCsv(10))).status).toBe(200);
    expect(await countOf(t, who.userId)).toBe(MAX_TASKS_PER_USER);
  });
});

describe("import: files that are not tasks", () => {
  const files: [string, string | Uint8Array, string, RegExp][] = [
    ["a PNG image", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]), "tasks.csv", /not text \(UTF-8\)/],
    ["plain prose", "Dear diary,\nToday I did nothing.\n", "notes.txt", /neither a SmartTask JSON export nor a CSV file/],
    ["JSON of another program", JSON.stringify({ items: [{ title: "x" }] }), "tasks.json", /not a SmartTask export/],
    ["a newer export version", JSON.stringify({ format: "smarttask-export", version: 2, tasks: [] }), "tasks.json", /version 2; this SmartTask reads version 1/],
    ["broken JSON", '{"format": "smarttask-export", "tasks": [', "tasks.json", /not valid JSON/],
    ["an empty file", "", "tasks.csv", /This file is empty/],
  ];

  it.each(files)("answers 422 to %s, with the form again and nothing imported", async (_name, content, name, message) => {
    const who = await person(t);
    const res = await upload(who.browser, content, name);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(textOf(fileError(html) ?? "")).toMatch(message);
    expect(html).toContain('<form method="post" action="/import"');
    expect(await countOf(t, who.userId)).toBe(0);
  });

  it("asks for a file when the form is posted without one", async () => {
    const who = await person(t);
    const form = new FormData();
    form.append("file", new File([], ""));
    const res = await who.browser.request("POST", "/import", { body: form });
    expect(res.status).toBe(422);
    expect(fileError(await res.text())).toContain("Choose a file to import");
    const plain = await who.browser.post("/import", { file: "title\nSneaky" });
    expect(plain.status).toBe(422);
    expect(await countOf(t, who.userId)).toBe(0);
  });
});

describe("import: one transaction", () => {
  it("leaves nothing when a statement fails halfway through the rows", async () => {
    const who = await person(t);
    const now = t.clock.now();
    const row = (title: string): ImportedTask => ({
      title,
      notes: "",
      priority: "medium",
      status: "todo",
      dueDate: null,
      dueTime: null,
      dueAt: null,
      remindersEnabled: true,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    });
    // Three statements of two rows; the third holds a title the table's own check refuses.
    const rows = [row("a"), row("b"), row("c"), row("d"), row("e"), row("x".repeat(201))];
    await expect(insertImportedTasks(t.database.db, who.userId, rows, 2)).rejects.toThrow();
    expect(await tasksOf(t, who.userId)).toEqual([]);
  });
});

describe("the task cap on creation", () => {
  it(`answers 422 with the form and a clear message when the user has ${MAX_TASKS_PER_USER.toLocaleString("en")} tasks`, async () => {
    const who = await person(t);
    await bulkTasks(t, who.userId, MAX_TASKS_PER_USER);
    const typed = { title: "One too many", notes: "kept", priority: "high", status: "todo", due_date: "2026-06-20", due_time: "10:00" };
    const res = await who.browser.post("/tasks", typed);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, "title")).toBe(
      "You have 10,000 tasks, the most SmartTask keeps for one person. Delete tasks you no longer need (done ones, perhaps) to add more.",
    );
    expect(formValue(html, "title")).toBe("One too many");
    expect(formValue(html, "notes")).toBe("kept");
    expect(formValue(html, "due_time")).toBe("10:00");

    const htmx = await who.browser.post("/tasks", typed, { htmx: true });
    expect(htmx.status).toBe(422);
    expect(fieldError(await htmx.text(), "title")).toContain("10,000 tasks");
    expect(await countOf(t, who.userId)).toBe(MAX_TASKS_PER_USER);

    // One fewer, and the same form is accepted.
    const [first] = await tasksOf(t, who.userId);
    expect((await who.browser.post(`/tasks/${first!.id}/delete`)).status).toBe(303);
    expect((await who.browser.post("/tasks", typed)).status).toBe(303);
    expect(await countOf(t, who.userId)).toBe(MAX_TASKS_PER_USER);
  });

  it("counts only the user's own tasks", async () => {
    const full = await person(t);
    await bulkTasks(t, full.userId, MAX_TASKS_PER_USER);
    const other = await person(t);
    expect((await other.browser.post("/tasks", { title: "Mine" })).status).toBe(303);
  });
});
