import { describe, expect, it } from "vitest";
import { scanReminders } from "../src/reminders/scan.js";
import { sendPending } from "../src/reminders/send.js";
import { addTask, at, HOUR, hourly, inbox, jobDeps, makeUser, MINUTE, outboxOf, plusDays, type FixtureUser } from "./support/reminder-jobs.js";
import { makeTestApp } from "./support/test-app.js";

// When the day's reminder goes out: the user's own hour in their own zone, across outages,
// DST changes and zones far from UTC. Runs are driven hourly, as the scheduler does.
const t = await makeTestApp();
const deps = jobDeps(t);

/** Runs the scan at each instant; returns, per local date, the instant of the run that queued that day's digest. */
async function queuedAt(users: FixtureUser[], runs: Iterable<Date>) {
  const firstSeen = new Map<string, Date>();
  for (const now of runs) {
    await scanReminders(deps, now);
    for (const row of await outboxOf(t, ...users.map((u) => u.id))) {
      const key = `${row.userId}:${row.localDate}`;
      if (!firstSeen.has(key)) firstSeen.set(key, now);
    }
  }
  return (user: FixtureUser) =>
    Object.fromEntries([...firstSeen].filter(([k]) => k.startsWith(user.id)).map(([k, v]) => [k.slice(user.id.length + 1), v.toISOString()]));
}

const idsOf = async (user: FixtureUser) => (await outboxOf(t, user.id)).map((r) => r.id);

/** A task due on each of these local dates, so every one of them has something to remind. */
async function dueEach(user: FixtureUser, dates: string[]) {
  for (const dueDate of dates) await addTask(t, user, { dueDate });
}

describe("catching up after an outage", () => {
  it("sends the day's digest at a later run the same day when the run at the user's hour was missed, never before the hour", async () => {
    const user = await makeUser(t, { timezone: "Europe/Berlin", reminderHour: 8 });
    await addTask(t, user, { title: "Tax return", dueDate: "2030-02-15" });

    // 05:00, 06:00, 07:00 and 07:59 local: too early.
    for (const local of ["05:00", "06:00", "07:00", "07:59"]) {
      await scanReminders(deps, at(`2030-02-15T${local}`, "Europe/Berlin"));
      await sendPending(deps, at(`2030-02-15T${local}`, "Europe/Berlin"), { ids: await idsOf(user) });
    }
    expect(await outboxOf(t, user.id)).toEqual([]);

    // The 08:00 to 12:00 runs never happened (outage); the 13:00 run catches up.
    const late = at("2030-02-15T13:00", "Europe/Berlin");
    expect((await scanReminders(deps, late)).emailsQueued).toBeGreaterThanOrEqual(1);
    await sendPending(deps, late, { ids: await idsOf(user) });
    const mail = await inbox(t, user.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe("1 due today");
    expect(mail[0]!.textBody).toContain("Tax return");

    // The rest of the day's runs add nothing.
    for (const local of ["14:00", "18:00", "23:00"]) {
      await scanReminders(deps, at(`2030-02-15T${local}`, "Europe/Berlin"));
      await sendPending(deps, at(`2030-02-15T${local}`, "Europe/Berlin"), { ids: await idsOf(user) });
    }
    expect(await inbox(t, user.email)).toHaveLength(1);
  });
});

describe("daylight saving time in America/New_York", () => {
  it("spring forward (2026-03-08) with reminder hour 2, which does not exist that day: one digest each day, none skipped", async () => {
    const user = await makeUser(t, { timezone: "America/New_York", reminderHour: 2 });
    await dueEach(user, ["2026-03-07", "2026-03-08", "2026-03-09"]);

    const firstRuns = await queuedAt([user], hourly(new Date("2026-03-07T05:00:00Z"), new Date("2026-03-10T04:00:00Z")));

    expect(firstRuns(user)).toEqual({
      "2026-03-07": "2026-03-07T07:00:00.000Z", // 02:00 EST
      "2026-03-08": "2026-03-08T07:00:00.000Z", // 03:00 EDT: the first hour at or after 02:00 on the short day
      "2026-03-09": "2026-03-09T06:00:00.000Z", // 02:00 EDT
    });
    const rows = await outboxOf(t, user.id);
    expect(rows.map((r) => r.localDate)).toEqual(["2026-03-07", "2026-03-08", "2026-03-09"]);
  });

  it("fall back (2026-11-01) with reminder hour 1, which happens twice that day: one digest each day, none doubled", async () => {
    const user = await makeUser(t, { timezone: "America/New_York", reminderHour: 1 });
    await dueEach(user, ["2026-10-31", "2026-11-01", "2026-11-02"]);

    const firstRuns = await queuedAt([user], hourly(new Date("2026-10-31T04:00:00Z"), new Date("2026-11-03T05:00:00Z")));

    expect(firstRuns(user)).toEqual({
      "2026-10-31": "2026-10-31T05:00:00.000Z", // 01:00 EDT
      "2026-11-01": "2026-11-01T05:00:00.000Z", // the first 01:00 (EDT); the second 01:00 (EST, 06:00Z) adds nothing
      "2026-11-02": "2026-11-02T06:00:00.000Z", // 01:00 EST
    });
    const rows = await outboxOf(t, user.id);
    expect(rows.map((r) => r.localDate)).toEqual(["2026-10-31", "2026-11-01", "2026-11-02"]);

    // Sent through the dev mailer, each day's digest arrives once.
    await sendPending(deps, new Date("2026-11-01T06:30:00Z"), { ids: rows.map((r) => r.id) });
    await sendPending(deps, new Date("2026-11-02T06:30:00Z"), { ids: rows.map((r) => r.id) });
    expect((await outboxOf(t, user.id)).map((r) => r.status)).toEqual(["expired", "sent", "sent"]);
    expect(await inbox(t, user.email)).toHaveLength(2);
  });
});

describe("zones far from UTC and with odd offsets", () => {
  it("queues each user's digest at the first hourly run at or after their own local hour, not an hour before", async () => {
    const day = "2030-05-20";
    const westmost = await makeUser(t, { timezone: "Etc/GMT+12", reminderHour: 23 }); // UTC−12
    const eastmost = await makeUser(t, { timezone: "Pacific/Kiritimati", reminderHour: 0 }); // UTC+14
    const kolkata = await makeUser(t, { timezone: "Asia/Kolkata", reminderHour: 8 }); // UTC+5:30
    const kathmandu = await makeUser(t, { timezone: "Asia/Kathmandu", reminderHour: 9 }); // UTC+5:45
    const everyone = [westmost, eastmost, kolkata, kathmandu];
    for (const u of everyone) await addTask(t, u, { dueDate: day });

    // Every hour on the hour, from well before the earliest zone's day to after the latest one's.
    const firstRuns = await queuedAt(everyone, hourly(new Date(`${plusDays(day, -1)}T00:00:00Z`), new Date(`${plusDays(day, 2)}T00:00:00Z`)));

    expect(firstRuns(westmost)[day]).toBe("2030-05-21T11:00:00.000Z"); // 23:00 on the 20th at UTC−12
    expect(firstRuns(eastmost)[day]).toBe("2030-05-19T10:00:00.000Z"); // 00:00 on the 20th at UTC+14
    expect(firstRuns(kolkata)[day]).toBe("2030-05-20T03:00:00.000Z"); // 08:30 local: 08:00 is 02:30Z
    expect(firstRuns(kathmandu)[day]).toBe("2030-05-20T04:00:00.000Z"); // 09:45 local: 09:00 is 03:15Z

    for (const u of everyone) {
      const rows = (await outboxOf(t, u.id)).filter((r) => r.localDate === day);
      expect(rows, u.timezone).toHaveLength(1);
      expect(rows[0]!.subject, u.timezone).toBe("1 due today");
    }
  });

  it("does not send a half-hour zone's digest at the top of the hour before (Kolkata 08:00 is 02:30 UTC)", async () => {
    const user = await makeUser(t, { timezone: "Asia/Kolkata", reminderHour: 8 });
    await addTask(t, user, { dueDate: "2030-09-03" });
    await scanReminders(deps, new Date("2030-09-03T02:29:00Z"));
    expect(await outboxOf(t, user.id)).toEqual([]);
    await scanReminders(deps, new Date(new Date("2030-09-03T02:29:00Z").getTime() + MINUTE));
    expect(await outboxOf(t, user.id)).toHaveLength(1);
    // And a run an hour later finds it done.
    await scanReminders(deps, new Date(new Date("2030-09-03T02:30:00Z").getTime() + HOUR));
    expect(await outboxOf(t, user.id)).toHaveLength(1);
  });
});
