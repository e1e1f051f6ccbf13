import { describe, expect, it } from "vitest";
import { makeTestApp, taskIdsIn, textOf } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

describe("tasks: happy paths", () => {
  it("creates a task and shows it in the list and on its own page", async () => {
    const b = t.browser();
    await b.register({ timezone: "Europe/Paris" });
    const res = await b.post("/tasks", { title: "Write report", notes: "Quarterly numbers", priority: "high", due_date: "2026-06-17", due_time: "09:30" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/tasks");

    const list = textOf(await (await b.get("/tasks")).text());
    expect(list).toContain("Write report");
    expect(list).toContain("High");
    expect(list).toContain("Wed 17 Jun 2026, 09:30");
    expect(list).toContain("in 2 days");

    const id = await b.createTask({ title: "Second" });
    const page = await b.get(`/tasks/${id}`);
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain("Second");
  });
});
