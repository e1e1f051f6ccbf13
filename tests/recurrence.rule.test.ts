import { describe, expect, it } from "vitest";
import { firstOccurrence, nextOccurrence, occurrenceFrom, parseRule } from "../src/recurrence/rule.js";
import { describeRule } from "../src/recurrence/rule-words.js";
import { dueMoment } from "../src/tasks/due.js";

/** The series from `start`, as a task moves along it: each next occurrence after the one before. */
function series(rrule: string, start: string, length: number): string[] {
  const dates = [start];
  for (let occurrence = 1; dates.length < length; occurrence++) {
    const next = nextOccurrence(rrule, dates.at(-1)!, occurrence);
    if (next === null) break;
    dates.push(next);
  }
  return dates;
}

const ON_THE_31ST = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1";

describe("month ends", () => {
  it("a monthly task on the 31st falls on the last day of shorter months and comes back to the 31st", () => {
    expect(series(ON_THE_31ST, "2027-01-31", 7)).toEqual(["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30", "2027-07-31"]);
  });

  it("on the 31st lands on 29 February in a leap year", () => {
    expect(series(ON_THE_31ST, "2028-01-31", 3)).toEqual(["2028-01-31", "2028-02-29", "2028-03-31"]);
  });

  it("on the 30th keeps the 30th after February", () => {
    expect(series("FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", "2027-01-30", 4)).toEqual(["2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"]);
  });

  it("the last day of every month", () => {
    expect(series("FREQ=MONTHLY;BYMONTHDAY=-1", "2027-11-30", 5)).toEqual(["2027-11-30", "2027-12-31", "2028-01-31", "2028-02-29", "2028-03-31"]);
  });

  it("the first and last weekday of the month skip weekends", () => {
    // 1 August 2026 is a Saturday; 31 October 2026 too.
    expect(series("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1", "2026-07-01", 3)).toEqual(["2026-07-01", "2026-08-03", "2026-09-01"]);
    expect(series("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2026-09-30", 3)).toEqual(["2026-09-30", "2026-10-30", "2026-11-30"]);
  });

  it("the last Friday of the month", () => {
    expect(series("FREQ=MONTHLY;BYDAY=-1FR", "2026-12-25", 3)).toEqual(["2026-12-25", "2027-01-29", "2027-02-26"]);
  });
});

describe("leap years", () => {
  it("yearly on 29 February falls on the 28th outside leap years", () => {
    expect(series("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1", "2028-02-29", 6)).toEqual([
      "2028-02-29",
      "2029-02-28",
      "2030-02-28",
      "2031-02-28",
      "2032-02-29",
      "2033-02-28",
    ]);
  });

  it("the first occurrence of 29 February is the 28th in 2027 and the 29th in 2028", () => {
    const rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1";
    expect(firstOccurrence(rule, "2027-01-10")).toBe("2027-02-28");
    expect(firstOccurrence(rule, "2028-01-10")).toBe("2028-02-29");
  });

  it("every day passes through 29 February in 2028 but not in 2027", () => {
    expect(series("FREQ=DAILY", "2027-02-28", 2)).toEqual(["2027-02-28", "2027-03-01"]);
    expect(series("FREQ=DAILY", "2028-02-28", 3)).toEqual(["2028-02-28", "2028-02-29", "2028-03-01"]);
  });
});

describe("weeks across the year end", () => {
  it("every weekday from Wednesday 30 December 2026 skips the weekend into 2027", () => {
    expect(series("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-12-30", 6)).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-04", "2027-01-05", "2027-01-06"]);
  });

  it("every Sunday and every second Sunday cross into the new year", () => {
    expect(series("FREQ=WEEKLY;BYDAY=SU", "2025-12-21", 4)).toEqual(["2025-12-21", "2025-12-28", "2026-01-04", "2026-01-11"]);
    expect(series("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", "2025-12-21", 3)).toEqual(["2025-12-21", "2026-01-04", "2026-01-18"]);
  });

  it("weekly on Monday and Thursday", () => {
    expect(series("FREQ=WEEKLY;BYDAY=MO,TH", "2026-12-28", 4)).toEqual(["2026-12-28", "2026-12-31", "2027-01-04", "2027-01-07"]);
  });

  it("a new weekly task's first date is the first matching day on or after the typed one", () => {
    expect(firstOccurrence("FREQ=WEEKLY;BYDAY=SU", "2025-12-03")).toBe("2025-12-07");
    expect(firstOccurrence("FREQ=WEEKLY;BYDAY=SU", "2025-12-07")).toBe("2025-12-07");
  });
});

describe("ends", () => {
  it("COUNT=3 gives three occurrences in all", () => {
    expect(series("FREQ=DAILY;COUNT=3", "2026-01-30", 10)).toEqual(["2026-01-30", "2026-01-31", "2026-02-01"]);
    expect(nextOccurrence("FREQ=DAILY;COUNT=3", "2026-02-01", 3)).toBeNull();
  });

  it("UNTIL includes its own date and nothing after", () => {
    expect(series("FREQ=DAILY;UNTIL=20260202", "2026-01-30", 10)).toEqual(["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]);
    expect(series("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260210", "2026-01-26", 10)).toEqual(["2026-01-26", "2026-02-02", "2026-02-09"]);
  });

  it("catching up over missed days counts them towards COUNT", () => {
    expect(occurrenceFrom("FREQ=DAILY", "2025-12-01", 1, "2025-12-05")).toEqual({ date: "2025-12-05", occurrence: 5 });
    expect(occurrenceFrom("FREQ=DAILY;COUNT=4", "2025-12-01", 1, "2025-12-05")).toBeNull();
    expect(occurrenceFrom("FREQ=WEEKLY;BYDAY=MO", "2025-12-01", 2, "2025-12-10")).toEqual({ date: "2025-12-15", occurrence: 4 });
  });
});

describe("the due moment across DST changes", () => {
  // A daily 09:00 task: the date moves by the rule, the moment is computed in the owner's zone.
  const moments = (start: string, days: number, zone: string) =>
    series("FREQ=DAILY", start, days).map((date) => dueMoment(date, "09:00", zone).toISOString());

  it("Europe/Berlin: 09:00 local before and after the last Sunday of March (UTC+1 → UTC+2)", () => {
    expect(moments("2026-03-28", 3, "Europe/Berlin")).toEqual(["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
  });

  it("Europe/Berlin: 09:00 local before and after the last Sunday of October (UTC+2 → UTC+1)", () => {
    expect(moments("2026-10-24", 3, "Europe/Berlin")).toEqual(["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
  });

  it("America/New_York: 09:00 local across the second Sunday of March (UTC−5 → UTC−4)", () => {
    expect(moments("2026-03-07", 3, "America/New_York")).toEqual(["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
  });

  it("America/New_York: 09:00 local across the first Sunday of November (UTC−4 → UTC−5)", () => {
    expect(moments("2026-10-31", 3, "America/New_York")).toEqual(["2026-10-31T13:00:00.000Z", "2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"]);
  });

  it("a weekly Sunday 02:30 task in Berlin keeps its date across the March change, whose 02:30 does not exist", () => {
    expect(series("FREQ=WEEKLY;BYDAY=SU", "2026-03-22", 3)).toEqual(["2026-03-22", "2026-03-29", "2026-04-05"]);
  });
});

describe("parseRule", () => {
  it("accepts the quick-add conventions", () => {
    for (const rule of [
      "FREQ=DAILY;INTERVAL=3",
      "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
      "FREQ=WEEKLY;BYDAY=SU",
      "FREQ=MONTHLY;BYMONTHDAY=15",
      ON_THE_31ST,
      "FREQ=MONTHLY;BYMONTHDAY=-1",
      "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
      "FREQ=MONTHLY;BYDAY=-1FR",
      "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=14",
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
      "FREQ=DAILY;COUNT=5",
      "FREQ=DAILY;UNTIL=20270630",
    ]) {
      expect(parseRule(rule), rule).not.toBeNull();
    }
    expect(parseRule("FREQ=MONTHLY;BYDAY=-1FR")?.byDay).toEqual([{ day: "FR", nth: -1 }]);
  });

  it("refuses what is outside the subset", () => {
    for (const rule of [
      "",
      "FREQ=HOURLY",
      "INTERVAL=2",
      "FREQ=DAILY;FREQ=WEEKLY",
      "FREQ=DAILY;INTERVAL=0",
      "FREQ=DAILY;COUNT=2;UNTIL=20260101",
      "FREQ=DAILY;UNTIL=20260230",
      "FREQ=DAILY;UNTIL=20260101T000000Z",
      "FREQ=WEEKLY;BYDAY=1MO",
      "FREQ=WEEKLY;BYMONTHDAY=3",
      "FREQ=MONTHLY;BYMONTHDAY=0",
      "FREQ=MONTHLY;BYMONTHDAY=32",
      "FREQ=MONTHLY;BYSETPOS=1",
      "DTSTART=20250101;FREQ=DAILY",
      "RRULE:FREQ=DAILY",
      "FREQ=DAILY;BYHOUR=9",
      `FREQ=DAILY;${"BYMONTH=1;".repeat(60)}`,
    ]) {
      expect(parseRule(rule), rule).toBeNull();
    }
  });

  it("refuses, at once, rules that would never fall on a date (rrule would search them to the year 9999)", () => {
    for (const rule of [
      "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31",
      "FREQ=YEARLY;BYMONTH=2",
      "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=9",
      "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=3",
      "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
      "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=13",
    ]) {
      // Refused by looking at the rule, so nothing ever searches it.
      expect(parseRule(rule), rule).toBeNull();
      expect(firstOccurrence(rule, "2026-01-01"), rule).toBeNull();
    }
    // Rare but real: a leap day yearly, a fifth Monday, the 31st in the months that have one.
    expect(firstOccurrence("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2026-01-01")).toBe("2028-02-29");
    expect(firstOccurrence("FREQ=MONTHLY;BYDAY=5MO", "2026-01-01")).toBe("2026-03-30");
    expect(firstOccurrence("FREQ=MONTHLY;BYMONTHDAY=31", "2026-04-01")).toBe("2026-05-31");
  });
});

describe("describeRule", () => {
  it.each([
    ["FREQ=MONTHLY;BYMONTHDAY=-1", "due", "every month on the last day, from the due date"],
    ["FREQ=DAILY;INTERVAL=3", "completion", "every 3 days, from completion"],
    ["FREQ=DAILY", "due", "every day, from the due date"],
    ["FREQ=WEEKLY;BYDAY=MO,TH", "due", "every week on Monday and Thursday, from the due date"],
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "due", "every weekday, from the due date"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", "due", "every 2 weeks on Sunday, from the due date"],
    [ON_THE_31ST, "due", "on the 31st of every month (the last day in shorter months), from the due date"],
    ["FREQ=MONTHLY;BYMONTHDAY=15", "due", "every month on the 15th, from the due date"],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1", "due", "every month on the first weekday, from the due date"],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "due", "every month on the last weekday, from the due date"],
    ["FREQ=MONTHLY;BYDAY=-1FR", "due", "every month on the last Friday, from the due date"],
    ["FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=14", "due", "every year on 14 March, from the due date"],
    ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1", "due", "every year on 29 February (28 February in other years), from the due date"],
    ["FREQ=MONTHLY;BYMONTHDAY=1;COUNT=5", "due", "every month on the 1st, 5 times, from the due date"],
    ["FREQ=WEEKLY;BYDAY=FR;UNTIL=20270630", "completion", "every week on Friday, until 30 June 2027, from completion"],
  ] as const)("%s (%s) → %s", (rule, from, words) => {
    expect(describeRule(rule, from)).toBe(words);
  });
});
