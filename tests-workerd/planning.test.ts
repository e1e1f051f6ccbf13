import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testDatabase } from "./database.js";

// Issue #13 in the Worker: quick add (chrono-node and the repetition patterns), a repeating task
// completed onto its next occurrence (rrule), rescheduling and the views, through the Neon driver.

const ORIGIN = "http://smarttask.test";
const query = testDatabase();
const unique = () => crypto.randomUUID().slice(0, 8);

/** A browser with a cookie jar: quick add leaves a notice cookie beside the session's. */
function browser() {
  const jar = new Map<string, string>();
  return async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const headers = new Headers({ cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") });
    if (init.method && init.method !== "GET") headers.set("origin", ORIGIN);
    const body = init.form ? new URLSearchParams(init.form) : undefined;
    if (body) headers.set("content-type", "application/x-www-form-urlencoded");
    const res = await SELF.fetch(ORIGIN + path, { method: init.method ?? "GET", headers, body, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const at = pair!.indexOf("=");
      const [name, value] = [pair!.slice(0, at).trim(), pair!.slice(at + 1)];
      if (value === "" || attrs.some((a) => /max-age=0/i.test(a.trim()))) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
}

interface TaskRow {
  id: string;
  title: string;
  rrule: string | null;
  priority: string;
  due_date: string;
  occurrence: number;
  status: string;
}

describe("planning in the Worker", () => {
  it("adds a repeating task in plain words, completes it onto its next occurrence, moves it, and shows the views", async () => {
    const go = browser();
    const email = `planner-${unique()}@example.com`;
    const reg = await go("/register", { method: "POST", form: { name: "Grace", email, password: "correct horse battery", timezone: "Pacific/Auckland" } });
    expect(reg.status).toBe(303);
    expect((await go("/")).headers.get("location")).toBe("/today");

    const added = await go("/tasks/quick", { method: "POST", form: { text: "Pay rent on the last day of every month !high", back: "/upcoming" } });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toMatch(/^\/upcoming/);
    const [task] = await query<TaskRow>(
      "select t.id, t.title, t.rrule, t.priority::text, t.due_date::text, t.occurrence, t.status::text from tasks t join users u on u.id = t.user_id where u.email = $1",
      [email],
    );
    expect(task).toMatchObject({ title: "Pay rent", rrule: "FREQ=MONTHLY;BYMONTHDAY=-1", priority: "high", occurrence: 1 });
    // The last day of a month: the next day is the first of one.
    const next = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(8, 10);
    expect(next(task!.due_date)).toBe("01");

    const page = await (await go(`/tasks/${task!.id}`)).text();
    expect(page).toContain('data-rrule="FREQ=MONTHLY;BYMONTHDAY=-1"');

    expect((await go(`/tasks/${task!.id}/complete`, { method: "POST", form: {} })).status).toBe(303);
    const [moved] = await query<TaskRow>("select due_date::text, occurrence, status::text from tasks where id = $1", [task!.id]);
    expect(moved!.status).toBe("todo");
    expect(moved!.occurrence).toBe(2);
    expect(moved!.due_date > task!.due_date).toBe(true);
    expect(next(moved!.due_date)).toBe("01");
    const [done] = await query<{ n: number }>("select count(*)::int as n from task_completions where task_id = $1 and due_date = $2", [task!.id, task!.due_date]);
    expect(done!.n).toBe(1);
    expect(await (await go("/done")).text()).toContain("Pay rent");

    expect((await go(`/tasks/${task!.id}/reschedule`, { method: "POST", form: { to: "today" } })).status).toBe(303);
    const today = await (await go("/today")).text();
    expect(today).toContain("Pay rent");
    for (const view of ["/upcoming", "/no-date", "/tasks"]) expect((await go(view)).status).toBe(200);

    const preview = await (await go(`/tasks/quick/preview?text=${encodeURIComponent("Call mum every sunday 6pm")}`)).text();
    expect(preview).toContain("<mark>");
  });
});
