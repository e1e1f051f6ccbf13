import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { dueMoment, localDay } from "../src/tasks/due.js";
import { describeDue, formatDate } from "../src/tasks/format.js";

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kathmandu"];

/** A small deterministic generator, so a failure names an instant that can be replayed. */
function* instants(seed: number, count: number) {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    // Around the 2026 DST changes of both hemispheres, hours apart, in any order.
    yield new Date(Date.UTC(2026, [2, 3, 9, 10][x % 4]!, 1 + (x % 28), x % 24, (x >> 5) % 60));
  }
}

describe("a user's local day, kept per zone until local midnight", () => {
  it("always matches a fresh calculation, whichever order the instants come in", () => {
    for (const zone of ZONES) {
      for (const now of instants(zone.length, 300)) {
        const local = DateTime.fromJSDate(now, { zone });
        expect(localDay(now, zone), `${zone} ${now.toISOString()}`).toEqual({
          date: local.toISODate(),
          start: local.startOf("day").toJSDate(),
          end: local.endOf("day").toJSDate(),
          weekEnd: local.plus({ days: 7 }).endOf("day").toJSDate(),
        });
      }
    }
  });
});

describe("due labels without zone arithmetic per task", () => {
  it("reads dates as luxon does", () => {
    for (const date of ["2026-12-03", "2024-02-29", "2027-01-01", "2026-03-29"]) {
      expect(formatDate(date)).toBe(DateTime.fromISO(date).toFormat("ccc d LLL yyyy"));
    }
  });

  it("counts calendar days across DST changes in the owner's zone", () => {
    // Berlin springs forward on 29 March 2026: a day of 23 hours still counts as one day.
    const now = new Date("2026-03-28T22:30:00Z"); // 23:30 on the 28th in Berlin
    const due = (date: string) => describeDue({ dueDate: date, dueTime: null, dueAt: dueMoment(date, null, "Europe/Berlin"), done: false }, now, "Europe/Berlin");
    expect(due("2026-03-28").relative).toBe("today");
    expect(due("2026-03-29").relative).toBe("tomorrow");
    expect(due("2026-03-31").relative).toBe("in 3 days");
    expect(due("2026-03-25").relative).toBe("overdue by 3 days");
  });

  it("shows a timed deadline at the time the owner chose, in their zone", () => {
    const at = dueMoment("2026-12-03", "14:00", "America/New_York");
    const label = describeDue({ dueDate: "2026-12-03", dueTime: "14:00:00", dueAt: at, done: false }, new Date("2026-12-01T12:00:00Z"), "America/New_York");
    expect(label).toMatchObject({ absolute: "Thu 3 Dec 2026, 14:00", relative: "in 2 days", iso: "2026-12-03T19:00Z", state: "soon" });
  });
});

describe("due moments", () => {
  it("are the chosen local time, or the end of the day, in the owner's zone, also on DST days", () => {
    const cases: [string, string | null, string, string][] = [
      // Clocks go back in Berlin: 02:30 happens twice; the deadline is the first one (CEST).
      ["2026-10-25", "02:30", "Europe/Berlin", "2026-10-25T00:30:00.000Z"],
      // Clocks go forward: 02:30 does not exist; it becomes 03:30 CEST.
      ["2026-03-29", "02:30", "Europe/Berlin", "2026-03-29T01:30:00.000Z"],
      // The end of a 23-hour day, and of a 25-hour one, in New York.
      ["2026-03-08", null, "America/New_York", "2026-03-09T03:59:59.999Z"],
      ["2026-11-01", null, "America/New_York", "2026-11-02T04:59:59.999Z"],
      // Half-hour and quarter-hour zones, and the two ends of the world.
      ["2026-12-31", "23:59", "Asia/Kathmandu", "2026-12-31T18:14:00.000Z"],
      ["2026-12-31", null, "Australia/Lord_Howe", "2026-12-31T12:59:59.999Z"],
      ["2026-06-15", null, "Pacific/Kiritimati", "2026-06-15T09:59:59.999Z"],
      ["2026-06-15", "00:00", "Etc/GMT+12", "2026-06-15T12:00:00.000Z"],
    ];
    for (const [date, time, zone, expected] of cases) expect(dueMoment(date, time, zone).toISOString(), `${zone} ${date} ${time}`).toBe(expected);
  });
});
