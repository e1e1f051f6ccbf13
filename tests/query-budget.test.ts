import { beforeEach, describe, expect, it } from "vitest";
import { insertTasks, signedIn } from "./support/tasks.js";
import { makeTestApp, settled, taskIdsIn } from "./support/test-app.js";

const NOW = "2026-06-15T12:00:00Z";
const t = await makeTestApp({ now: NOW });
beforeEach(() => t.clock.set(NOW));

// The list in every form: the session with its user, then the rows with their counts.
const LIST_BUDGET = 2;
const READ_BUDGET = 3;
// Creating, editing, completing, reopening, deleting a task: session, the write, the list or counts.
const TASK_WRITE_BUDGET = 3;
const WRITE_BUDGET = 4;
// Registration (issue #11): the per-network registration limit (in a transaction at READ
// COMMITTED: its advisory lock, then the count that records the claim: 2, plus BEGIN and COMMIT;
// postgres.js and PGlite set the isolation level in a statement of its own), then one transaction
// holding the user, the check that the address is not held for an undo of an address change, the
// first verification link, that link's mail and the session, so that none exists without the
// others (5, plus its BEGIN and COMMIT). BEGIN and COMMIT are real round trips on every driver,
// though only node-postgres's Drizzle session counts them. Right after the response the mail goes
// out: claimed, delivered (the dev mailbox: one insert) and finished (3 more, off the response's path).
const REGISTER_BUDGET = 2 + 2 + 5 + 2;
const ACCOUNT_MAIL_SEND = 3;

/**
 * Runs one request and returns its status and how many statements it sent to the database,
 * counting the work it left running after the response (account mail) too, so that nothing
 * one request started is counted against the next.
 */
async function roundTrips(request: () => Promise<Response>) {
  await settled();
  const before = t.database.roundTrips();
  const res = await request();
  await res.arrayBuffer();
  await settled();
  return { status: res.status, trips: t.database.roundTrips() - before };
}

async function userWithTasks(count = 60) {
  const user = await signedIn(t, "America/New_York");
  const rows = await insertTasks(
    t,
    user.userId,
    Array.from({ length: count }, (_, i) => ({ title: `Budget ${i}`, notes: "n", ...(i % 3 ? { dueDate: "2026-06-20", dueAt: new Date(Date.UTC(2026, 5, 20, i % 24)) } : {}) })),
  );
  return { ...user, id: rows[0]!.id };
}

describe("query budget: pages and fragments", () => {
  it(`reads the list, its fragments and its next pages in at most ${LIST_BUDGET} round trips`, async () => {
    const { browser } = await userWithTasks();
    const first = await (await browser.get("/tasks?sort=priority")).text();
    const more = first.match(/<li class="more"><a class="button" href="([^"]+)"/)![1]!.replace(/&amp;/g, "&");
    const reads: [string, () => Promise<Response>][] = [
      ["list", () => browser.get("/tasks")],
      ["filtered list", () => browser.get("/tasks?status=todo&status=done&priority=high&priority=medium&due=week&q=budget&sort=updated")],
      ["each due window", () => browser.get("/tasks?due=overdue")],
      ["search", () => browser.get("/tasks?q=budget")],
      ["htmx list fragment", () => browser.get("/tasks?due=today&sort=created", { htmx: true })],
      ["load more", () => browser.get(more)],
      ["htmx load more", () => browser.get(more, { htmx: true })],
    ];
    for (const [name, request] of reads) {
      const { status, trips } = await roundTrips(request);
      expect(status, name).toBe(200);
      expect(trips, name).toBe(LIST_BUDGET);
    }
  });

  it(`reads each planning view (#13), its fragment and its next page in at most ${LIST_BUDGET} round trips, counts included`, async () => {
    const { browser, userId } = await userWithTasks();
    // Done rows and tasks for Later and No date beyond one page each, so "load more" exists.
    await insertTasks(
      t,
      userId,
      Array.from({ length: 60 }, (_, i) => ({ title: `Done ${i}`, status: "done" as const, completedAt: new Date(Date.UTC(2026, 5, 1, i % 24, i)) })),
    );
    await insertTasks(t, userId, Array.from({ length: 60 }, (_, i) => ({ title: `Later ${i}`, dueDate: "2026-09-01", dueAt: new Date(Date.UTC(2026, 8, 1, 12, i)) })));
    await insertTasks(t, userId, Array.from({ length: 40 }, (_, i) => ({ title: `Someday ${i}` })));
    const moreOf = async (path: string) => (await (await browser.get(path)).text()).match(/<li class="more"><a class="button" href="([^"]+)"/)![1]!;
    const reads: [string, () => Promise<Response>][] = [];
    for (const path of ["/today", "/upcoming", "/no-date", "/done"]) {
      reads.push([path, () => browser.get(path)], [`${path} (htmx)`, () => browser.get(path, { htmx: path })]);
    }
    for (const path of ["/upcoming", "/no-date", "/done"]) {
      const more = await moreOf(path);
      reads.push([`${path} load more`, () => browser.get(more)], [`${path} load more (htmx)`, () => browser.get(more, { htmx: path })]);
    }
    for (const [name, request] of reads) {
      const { status, trips } = await roundTrips(request);
      expect(status, name).toBe(200);
      expect(trips, name).toBe(LIST_BUDGET);
    }
  });

  it(`reads any other page or fragment in at most ${READ_BUDGET} round trips`, async () => {
    const { browser, id } = await userWithTasks();
    const reads: [string, () => Promise<Response>][] = [
      ["task page", () => browser.get(`/tasks/${id}`)],
      ["htmx task row", () => browser.get(`/tasks/${id}`, { htmx: true })],
      ["edit page", () => browser.get(`/tasks/${id}/edit`)],
      ["htmx edit form", () => browser.get(`/tasks/${id}/edit`, { htmx: true })],
      ["missing task", () => browser.get(`/tasks/${crypto.randomUUID()}`)],
      ["settings", () => browser.get("/settings")],
      ["reschedule page", () => browser.get(`/tasks/${id}/reschedule`)],
      ["health", () => browser.get("/healthz")],
    ];
    for (const [name, request] of reads) {
      const { status, trips } = await roundTrips(request);
      expect([200, 404], name).toContain(status);
      expect(trips, name).toBeLessThanOrEqual(READ_BUDGET);
      expect(trips, `${name} reads the database`).toBeGreaterThan(0);
    }
  });

  it("stays in budget on the request that extends the session", async () => {
    const { browser } = await userWithTasks(5);
    t.clock.advance(16 * 24 * 3600_000);
    const { status, trips } = await roundTrips(() => browser.get("/tasks?due=overdue"));
    expect(status).toBe(200);
    expect(trips).toBeLessThanOrEqual(READ_BUDGET);
  });
});

describe("query budget: writes", () => {
  it(`writes tasks in at most ${TASK_WRITE_BUDGET} round trips`, async () => {
    const { browser, userId } = await userWithTasks();
    const [a, b, c, d] = (await insertTasks(t, userId, ["A", "B", "C", "D"].map((title) => ({ title })))).map((r) => r.id);
    const form = { title: "Budgeted", priority: "high", due_date: "2026-06-18", due_time: "10:00" };
    const writes: [string, number, () => Promise<Response>][] = [
      ["create", 303, () => browser.post("/tasks", form)],
      ["create (htmx)", 200, () => browser.post("/tasks", form, { htmx: "/tasks?priority=high&due=week" })],
      ["create with errors", 422, () => browser.post("/tasks", { title: "" })],
      ["update", 303, () => browser.post(`/tasks/${a}`, form)],
      ["update (PATCH, htmx)", 200, () => browser.request("PATCH", `/tasks/${a}`, { form, htmx: true })],
      ["update with errors (htmx)", 422, () => browser.post(`/tasks/${a}`, { title: "" }, { htmx: true })],
      ["complete", 303, () => browser.post(`/tasks/${a}/complete`)],
      ["complete (htmx)", 200, () => browser.post(`/tasks/${b}/complete`, {}, { htmx: "/tasks?q=budget" })],
      ["reopen", 303, () => browser.post(`/tasks/${a}/reopen`)],
      ["reopen (htmx)", 200, () => browser.post(`/tasks/${b}/reopen`, {}, { htmx: true })],
      ["delete", 303, () => browser.post(`/tasks/${c}/delete`)],
      ["delete (htmx)", 200, () => browser.request("DELETE", `/tasks/${d}`, { htmx: true })],
      ["delete missing", 404, () => browser.post(`/tasks/${crypto.randomUUID()}/delete`)],
      ["reschedule", 303, () => browser.post(`/tasks/${a}/reschedule`, { to: "tomorrow" })],
      ["reschedule from Today (htmx)", 200, () => browser.post(`/tasks/${a}/reschedule`, { to: "next_week" }, { htmx: "/today" })],
      ["reschedule within Upcoming (htmx)", 200, () => browser.post(`/tasks/${a}/reschedule`, { to: "2026-06-20" }, { htmx: "/upcoming" })],
      ["reschedule in All (htmx)", 200, () => browser.post(`/tasks/${a}/reschedule`, { to: "today" }, { htmx: "/tasks?due=today" })],
      ["reschedule with a bad date", 422, () => browser.post(`/tasks/${a}/reschedule`, { to: "2026-02-30" })],
      ["complete in Today (htmx)", 200, () => browser.post(`/tasks/${b}/complete`, {}, { htmx: "/today" })],
      ["reopen in Done (htmx)", 200, () => browser.post(`/tasks/${b}/reopen`, {}, { htmx: "/done" })],
    ];
    for (const [name, expected, request] of writes) {
      const { status, trips } = await roundTrips(request);
      expect(status, name).toBe(expected);
      expect(trips, name).toBeLessThanOrEqual(TASK_WRITE_BUDGET);
    }
    expect(taskIdsIn(await (await browser.get("/tasks?q=budgeted")).text())).toHaveLength(3);
  });

  it(`writes settings and logs out in at most ${WRITE_BUDGET} round trips, registers in ${REGISTER_BUDGET} and sends its mail in ${ACCOUNT_MAIL_SEND}`, async () => {
    const { browser } = await userWithTasks();
    const settings = await roundTrips(() => browser.post("/settings", { name: "Renamed", timezone: "Asia/Kolkata" }));
    expect(settings.status).toBe(303);
    expect(settings.trips).toBeLessThanOrEqual(WRITE_BUDGET);

    const fresh = t.browser();
    const email = `budget-${crypto.randomUUID()}@example.com`;
    const password = "correct horse battery";
    const register = await roundTrips(() => fresh.post("/register", { name: "New", email, password, timezone: "Pacific/Kiritimati" }));
    expect(register.status).toBe(303);
    expect(register.trips).toBeLessThanOrEqual(REGISTER_BUDGET + ACCOUNT_MAIL_SEND);
    const logout = await roundTrips(() => fresh.post("/logout"));
    expect(logout.status).toBe(303);
    expect(logout.trips).toBeLessThanOrEqual(WRITE_BUDGET);
  });

  it(`logs in, or refuses to, in at most ${WRITE_BUDGET} round trips`, async () => {
    const fresh = t.browser();
    const { email, password } = await fresh.register();
    await fresh.post("/logout");
    const login = await roundTrips(() => fresh.post("/login", { email, password }));
    expect(login.status).toBe(303);
    expect(login.trips).toBeLessThanOrEqual(WRITE_BUDGET);
    const failed = await roundTrips(() => t.browser().post("/login", { email, password: "wrong password here" }));
    expect(failed.status).toBe(422);
    expect(failed.trips).toBeLessThanOrEqual(WRITE_BUDGET);
  });

  it("stays in budget for an htmx create on the request that extends the session", async () => {
    const { browser } = await userWithTasks(5);
    t.clock.advance(16 * 24 * 3600_000);
    const { status, trips } = await roundTrips(() => browser.post("/tasks", { title: "Late create" }, { htmx: true }));
    expect(status).toBe(200);
    expect(trips).toBeLessThanOrEqual(WRITE_BUDGET);
  });
});
