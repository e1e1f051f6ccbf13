import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../src/db/schema.js";
import { uniqueIp } from "./support/auth-helpers.js";
import { countOf, person, tasksOf, upload } from "./support/transfer.js";
import { makeTestApp, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

describe("export: only the signed-in user's data", () => {
  it("exports the user's own tasks and nothing of another user's", async () => {
    const alice = await person(t);
    const bob = await person(t);
    expect((await alice.browser.post("/tasks", { title: "Alice's secret plan" })).status).toBe(303);
    expect((await bob.browser.post("/tasks", { title: "Bob's secret plan" })).status).toBe(303);

    const json = await (await alice.browser.get("/export.json")).text();
    const csv = await (await alice.browser.get("/export.csv")).text();
    for (const text of [json, csv]) {
      expect(text).toContain("Alice's secret plan");
      expect(text).not.toContain("Bob's secret plan");
      expect(text).not.toContain(bob.email);
    }
    expect(JSON.parse(json).tasks).toHaveLength(1);
  });

  it("never writes the password hash, a session or a token", async () => {
    const who = await person(t);
    const [user] = await t.database.db.select().from(users).where(eq(users.id, who.userId));
    const [session] = await t.database.db.select().from(sessions).where(eq(sessions.userId, who.userId));
    const text = await (await who.browser.get("/export.json")).text();
    expect(Object.keys(JSON.parse(text).user).sort()).toEqual(["email", "name", "reminders", "timezone"]);
    expect(text).not.toContain(user!.passwordHash);
    expect(text).not.toContain(session!.id);
    expect(text).not.toContain(session!.secretHash);
    expect(text).not.toMatch(/password|secret|token|session/i);
  });

  it("sends someone signed out to the login page instead of a file", async () => {
    const stranger = t.browser(uniqueIp());
    for (const path of ["/export.json", "/export.csv", "/import"]) {
      const res = await stranger.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });
});

describe("import: only into the signed-in user's account", () => {
  it("adds another account's export to the importer only, under new ids, leaving the owner's tasks alone", async () => {
    const alice = await person(t);
    const bob = await person(t);
    expect((await alice.browser.post("/tasks", { title: "Alice's task" })).status).toBe(303);
    expect((await bob.browser.post("/tasks", { title: "Bob's task" })).status).toBe(303);
    const [bobsTask] = await tasksOf(t, bob.userId);
    // A file naming Bob's task id (and Bob's user) cannot reach Bob's task.
    const file = JSON.parse(await (await alice.browser.get("/export.json")).text());
    file.tasks = [{ ...file.tasks[0], id: bobsTask!.id, userId: bob.userId, title: "Overwritten?" }];
    const res = await upload(alice.browser, JSON.stringify(file), "x.json", "application/json");
    expect(res.status).toBe(200);

    expect((await tasksOf(t, bob.userId)).map((task) => [task.id, task.title])).toEqual([[bobsTask!.id, "Bob's task"]]);
    const mine = await tasksOf(t, alice.userId);
    expect(mine.map((task) => task.title).sort()).toEqual(["Alice's task", "Overwritten?"]);
    expect(mine.every((task) => task.id !== bobsTask!.id)).toBe(true);
  });

  it("refuses an import signed out, and imports nothing", async () => {
    const stranger = t.browser(uniqueIp());
    const res = await upload(stranger, "title\r\nAnonymous\r\n");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
  });

  it.each([
    ["from another site", { origin: "https://evil.example" }],
    ["with Origin: null", { origin: "null" }],
    ["with no Origin and no Sec-Fetch-Site", { origin: "" }],
    ["from another site per Sec-Fetch-Site", { origin: "", "sec-fetch-site": "cross-site" }],
  ])("refuses a cross-site import %s (403) and imports nothing", async (_name, headers) => {
    const who = await person(t);
    const res = await upload(who.browser, "title\r\nPlanted by another site\r\n", "tasks.csv", "text/csv", { headers });
    expect(res.status).toBe(403);
    expect(textOf(await res.text())).toContain("This request came from another site");
    expect(await countOf(t, who.userId)).toBe(0);
  });

  it("shows imported text as text, never as markup", async () => {
    const who = await person(t);
    const res = await upload(who.browser, 'title,notes\r\n"<script>alert(1)</script>",<img src=x onerror=alert(1)>\r\n');
    expect(res.status).toBe(200);
    const list = await (await who.browser.get("/tasks")).text();
    expect(list).not.toContain("<script>alert(1)</script>");
    expect(list).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
