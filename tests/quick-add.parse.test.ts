import { describe, expect, it } from "vitest";
import { parseQuickAdd, type DateOrder } from "../src/quick-add/parse.js";
import { findRepetition } from "../src/quick-add/repetition.js";
import { dateOrderFor, dateOrderFromLanguages } from "../src/quick-add/date-order.js";
import { echoRuns, understoodSummary } from "../src/quick-add/understood.js";
import { parseRule } from "../src/recurrence/rule.js";

// Monday 15 June 2026, 12:00 UTC (13:00 in London, 17:30 in Kolkata, 21:30 in Adelaide).
const NOW = new Date("2026-06-15T12:00:00Z");

interface Expected {
  title: string;
  dueDate?: string | null;
  dueTime?: string | null;
  priority?: "low" | "medium" | "high" | "urgent";
  rrule?: string | null;
  repeatFrom?: "due" | "completion";
}

function understood(text: string, opts: { now?: string | Date; timezone?: string; dateOrder?: DateOrder } = {}) {
  return parseQuickAdd(text, { now: new Date(opts.now ?? NOW), timezone: opts.timezone ?? "UTC", dateOrder: opts.dateOrder ?? "dmy" });
}

function expectUnderstood(text: string, expected: Expected, opts: Parameters<typeof understood>[1] = {}) {
  const got = understood(text, opts);
  expect({ title: got.title, dueDate: got.dueDate, dueTime: got.dueTime, priority: got.priority, rrule: got.rrule, repeatFrom: got.repeatFrom }).toEqual({
    dueDate: null,
    dueTime: null,
    priority: "medium",
    rrule: null,
    repeatFrom: "due",
    ...expected,
  });
  // Every rule the parser writes is one the recurrence module accepts.
  if (got.rrule) expect(parseRule(got.rrule), got.rrule).not.toBeNull();
  return got;
}

describe("quick add: dates and times (UTC owner, Monday 15 June 2026 12:00)", () => {
  const cases: [string, Expected][] = [
    ["Pay rent tomorrow 9am !high", { title: "Pay rent", dueDate: "2026-06-16", dueTime: "09:00", priority: "high" }],
    ["Water plants in 3 days", { title: "Water plants", dueDate: "2026-06-18" }],
    // chrono reads "next friday" as the Friday of next week, not this week's.
    ["Submit draft next friday", { title: "Submit draft", dueDate: "2026-06-26" }],
    ["Submit report by friday", { title: "Submit report", dueDate: "2026-06-19" }],
    ["Lunch with 3 people friday", { title: "Lunch with 3 people", dueDate: "2026-06-19" }],
    ["Dentist 2026-07-01 14:30", { title: "Dentist", dueDate: "2026-07-01", dueTime: "14:30" }],
    ["Party on 24 december at 8pm", { title: "Party", dueDate: "2026-12-24", dueTime: "20:00" }],
    ["Flight june 3rd 2027 6:15am", { title: "Flight", dueDate: "2027-06-03", dueTime: "06:15" }],
    // A date without a year is the next such date: 1 March has passed this year.
    ["Tax return 1 march", { title: "Tax return", dueDate: "2027-03-01" }],
    ["Dinner tonight 8pm", { title: "Dinner", dueDate: "2026-06-15", dueTime: "20:00" }],
    ["Ship it today", { title: "Ship it", dueDate: "2026-06-15" }],
    // A time alone: today while still ahead, otherwise tomorrow; exactly now counts as past.
    ["Call at 3pm", { title: "Call", dueDate: "2026-06-15", dueTime: "15:00" }],
    ["Call at 9am", { title: "Call", dueDate: "2026-06-16", dueTime: "09:00" }],
    ["Meet at noon", { title: "Meet", dueDate: "2026-06-16", dueTime: "12:00" }],
    ["Standup 12:01", { title: "Standup", dueDate: "2026-06-15", dueTime: "12:01" }],
    ["Read chapter 5", { title: "Read chapter 5" }],
    ["Buy milk", { title: "Buy milk" }],
    // Words chrono would take alone stay in the title.
    ["Sun cream", { title: "Sun cream" }],
    ["Buy sat nav", { title: "Buy sat nav" }],
    ["Morning run", { title: "Morning run" }],
    ["Join the march", { title: "Join the march" }],
    ["Email Sam re: may report", { title: "Email Sam re: may report" }],
    ["Check every box", { title: "Check every box" }],
    ["Fix it now", { title: "Fix it now" }],
    // An hour without am/pm is on the 24-hour clock, as chrono reads it.
    ["Pick up kids at 3 tomorrow", { title: "Pick up kids", dueDate: "2026-06-16", dueTime: "03:00" }],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => expectUnderstood(text, expected));
});

describe("quick add: priority", () => {
  const cases: [string, Expected][] = [
    ["Fix bug !urgent", { title: "Fix bug", priority: "urgent" }],
    ["Fix bug !LOW", { title: "Fix bug", priority: "low" }],
    ["Fix bug !medium tomorrow", { title: "Fix bug", priority: "medium", dueDate: "2026-06-16" }],
    ["!1 Fix bug", { title: "Fix bug", priority: "urgent" }],
    ["Fix bug !2", { title: "Fix bug", priority: "high" }],
    ["Fix bug !3", { title: "Fix bug", priority: "medium" }],
    ["Fix bug !4", { title: "Fix bug", priority: "low" }],
    // Only a bang word on its own counts: "Wow!high" and "!5" are title text.
    ["Wow!high !5", { title: "Wow!high !5" }],
    ["Fix bug !low !high", { title: "Fix bug", priority: "high" }],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => expectUnderstood(text, expected));
});

describe("quick add: repetition", () => {
  const cases: [string, Expected][] = [
    ["Call mum every sunday 6pm", { title: "Call mum", dueDate: "2026-06-21", dueTime: "18:00", rrule: "FREQ=WEEKLY;BYDAY=SU" }],
    ["Report on the last day of every month !urgent", { title: "Report", dueDate: "2026-06-30", priority: "urgent", rrule: "FREQ=MONTHLY;BYMONTHDAY=-1" }],
    ["Report every month on the last day", { title: "Report", dueDate: "2026-06-30", rrule: "FREQ=MONTHLY;BYMONTHDAY=-1" }],
    ["Check mail every day", { title: "Check mail", dueDate: "2026-06-15", rrule: "FREQ=DAILY" }],
    ["Check mail daily", { title: "Check mail", dueDate: "2026-06-15", rrule: "FREQ=DAILY" }],
    ["Water cactus every 10 days", { title: "Water cactus", dueDate: "2026-06-15", rrule: "FREQ=DAILY;INTERVAL=10" }],
    ["Stretch every! 3 days", { title: "Stretch", dueDate: "2026-06-15", rrule: "FREQ=DAILY;INTERVAL=3", repeatFrom: "completion" }],
    // 09:30 has passed today: the first one is tomorrow's.
    ["Standup every weekday 9:30", { title: "Standup", dueDate: "2026-06-16", dueTime: "09:30", rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" }],
    ["Gym every mon and thu at 7am", { title: "Gym", dueDate: "2026-06-18", dueTime: "07:00", rrule: "FREQ=WEEKLY;BYDAY=MO,TH" }],
    ["Clean every tuesday, thursday and saturday", { title: "Clean", dueDate: "2026-06-16", rrule: "FREQ=WEEKLY;BYDAY=TU,TH,SA" }],
    ["Bins every other week", { title: "Bins", dueDate: "2026-06-15", rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" }],
    ["Bins every other thursday", { title: "Bins", dueDate: "2026-06-18", rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH" }],
    ["Team sync every 2 weeks on tuesday", { title: "Team sync", dueDate: "2026-06-16", rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" }],
    ["Review weekly", { title: "Review", dueDate: "2026-06-15", rrule: "FREQ=WEEKLY;BYDAY=MO" }],
    ["Pay rent on the 1st of every month", { title: "Pay rent", dueDate: "2026-07-01", rrule: "FREQ=MONTHLY;BYMONTHDAY=1" }],
    ["Rent due every month on the 15th !1", { title: "Rent", dueDate: "2026-06-15", priority: "urgent", rrule: "FREQ=MONTHLY;BYMONTHDAY=15" }],
    ["Backup every month on the 31st", { title: "Backup", dueDate: "2026-06-30", rrule: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1" }],
    ["Backup every 29th", { title: "Backup", dueDate: "2026-06-29", rrule: "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1" }],
    ["Payroll every last friday", { title: "Payroll", dueDate: "2026-06-26", rrule: "FREQ=MONTHLY;BYDAY=-1FR" }],
    ["Book club on the 2nd tuesday of every month", { title: "Book club", dueDate: "2026-07-14", rrule: "FREQ=MONTHLY;BYDAY=2TU" }],
    ["Invoice every first weekday of the month", { title: "Invoice", dueDate: "2026-07-01", rrule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1" }],
    ["Timesheet every last weekday of the month", { title: "Timesheet", dueDate: "2026-06-30", rrule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1" }],
    ["Review every month starting july 5", { title: "Review", dueDate: "2026-07-05", rrule: "FREQ=MONTHLY;BYMONTHDAY=5" }],
    ["Birthday every 3 june", { title: "Birthday", dueDate: "2027-06-03", rrule: "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=3" }],
    ["Anniversary every august 20th", { title: "Anniversary", dueDate: "2026-08-20", rrule: "FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=20" }],
    ["Renew passport every year", { title: "Renew passport", dueDate: "2026-06-15", rrule: "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15" }],
    ["Meds every day at 8pm for 5 times", { title: "Meds", dueDate: "2026-06-15", dueTime: "20:00", rrule: "FREQ=DAILY;COUNT=5" }],
    ["Water every 2 days x5", { title: "Water", dueDate: "2026-06-15", rrule: "FREQ=DAILY;INTERVAL=2;COUNT=5" }],
    ["Meds every day until 2026-06-30", { title: "Meds", dueDate: "2026-06-15", rrule: "FREQ=DAILY;UNTIL=20260630" }],
    // A month alone as the end: to its last day (this June has not ended yet).
    ["Course every monday until june", { title: "Course", dueDate: "2026-06-15", rrule: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260630" }],
    ["Course every monday until march", { title: "Course", dueDate: "2026-06-15", rrule: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270331" }],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => expectUnderstood(text, expected));

  it("a repetition that ends before it starts is a problem, not a task", () => {
    const got = understood("Taxes every 3 june until 2026-01-01");
    expect(got.problem).toMatch(/ends before/);
    expect(got.dueDate).toBeNull();
  });

  it("two ends at once are a problem: a count or a date, not both", () => {
    expect(understood("Meds every day x5 until june").problem).toMatch(/one end/);
  });

  it("without a repetition, an end is title text", () => {
    expectUnderstood("Practise 5 times", { title: "Practise 5 times" });
  });

  it("the pattern table finds the earliest phrase and the bang", () => {
    expect(findRepetition("x every! month y")).toMatchObject({ start: 2, end: 14, fromCompletion: true, parts: { freq: "MONTHLY", anchor: "monthday" } });
    expect(findRepetition("every 3 june")?.parts).toMatchObject({ freq: "YEARLY", byMonth: 6, byMonthDay: [3] });
    expect(findRepetition("every 31 june")).toBeNull();
    expect(findRepetition("every 1000 days")).toBeNull();
    expect(findRepetition("everyday chores")).toBeNull();
  });
});

describe("quick add: date order", () => {
  it("3/12 is 3 December day first and March 12 month first (the next one: this March has passed)", () => {
    expectUnderstood("Dentist 3/12 14:30", { title: "Dentist", dueDate: "2026-12-03", dueTime: "14:30" }, { dateOrder: "dmy" });
    expectUnderstood("Dentist 3/12 14:30", { title: "Dentist", dueDate: "2027-03-12", dueTime: "14:30" }, { dateOrder: "mdy" });
  });

  it("a numeric date only one order can read is read that way in both", () => {
    expectUnderstood("Pay 25/12", { title: "Pay", dueDate: "2026-12-25" }, { dateOrder: "dmy" });
    expectUnderstood("Pay 12/25", { title: "Pay", dueDate: "2026-12-25" }, { dateOrder: "mdy" });
  });

  it("Accept-Language: the most preferred language's region decides; unknown or none is day first", () => {
    expect(dateOrderFromLanguages("en-US,en;q=0.9")).toBe("mdy");
    expect(dateOrderFromLanguages("en-PH")).toBe("mdy");
    expect(dateOrderFromLanguages("en-CA,fr-CA;q=0.8")).toBe("mdy");
    expect(dateOrderFromLanguages("es-US")).toBe("mdy");
    expect(dateOrderFromLanguages("en-GB,en-US;q=0.9")).toBe("dmy");
    expect(dateOrderFromLanguages("de-DE,de;q=0.9,en-US;q=0.8")).toBe("dmy");
    expect(dateOrderFromLanguages("en;q=0.5, en-US;q=0.9")).toBe("mdy");
    expect(dateOrderFromLanguages("en")).toBe("dmy");
    expect(dateOrderFromLanguages("zh-Hant-TW")).toBe("dmy");
    expect(dateOrderFromLanguages("")).toBe("dmy");
    expect(dateOrderFromLanguages(undefined)).toBe("dmy");
    expect(dateOrderFromLanguages("*")).toBe("dmy");
  });

  it("a saved choice wins over the browser", () => {
    expect(dateOrderFor("dmy", "en-US")).toBe("dmy");
    expect(dateOrderFor("mdy", "en-GB")).toBe("mdy");
    expect(dateOrderFor(null, "en-US")).toBe("mdy");
  });
});

describe("quick add: the owner's zone", () => {
  // [zone, the instant one minute before local midnight (between 14 and 15 June local), the date "tomorrow" then]
  const zones: [string, string, string, string][] = [
    // UTC−12: 23:59 on the 14th is 11:59 UTC on the 15th.
    ["Etc/GMT+12", "2026-06-15T11:59:00Z", "2026-06-15", "2026-06-16"],
    // UTC+14: 23:59 on the 14th is 09:59 UTC the same day.
    ["Pacific/Kiritimati", "2026-06-14T09:59:00Z", "2026-06-15", "2026-06-16"],
    ["Asia/Kolkata", "2026-06-14T18:29:00Z", "2026-06-15", "2026-06-16"],
    // Adelaide is +09:30 in June (its winter).
    ["Australia/Adelaide", "2026-06-14T14:29:00Z", "2026-06-15", "2026-06-16"],
  ];
  for (const [zone, beforeMidnight, tomorrowBefore, tomorrowAfter] of zones) {
    it(`"tomorrow" in ${zone} just before and just after local midnight`, () => {
      const after = new Date(new Date(beforeMidnight).getTime() + 2 * 60_000);
      expectUnderstood("Pay rent tomorrow", { title: "Pay rent", dueDate: tomorrowBefore }, { timezone: zone, now: beforeMidnight });
      expectUnderstood("Pay rent tomorrow", { title: "Pay rent", dueDate: tomorrowAfter }, { timezone: zone, now: after });
    });
  }

  it("a time alone compares with the owner's clock (17:30 in Kolkata)", () => {
    expectUnderstood("Call at 5pm", { title: "Call", dueDate: "2026-06-16", dueTime: "17:00" }, { timezone: "Asia/Kolkata" });
    expectUnderstood("Call at 6pm", { title: "Call", dueDate: "2026-06-15", dueTime: "18:00" }, { timezone: "Asia/Kolkata" });
  });

  it("a weekly rule's first day is the owner's (Sunday 21:30 in Adelaide is Monday's eve elsewhere)", () => {
    // 2026-06-14T12:00Z is Sunday 21:30 in Adelaide: "every sunday" starts that same day there.
    expectUnderstood("Call mum every sunday", { title: "Call mum", dueDate: "2026-06-14", rrule: "FREQ=WEEKLY;BYDAY=SU" }, { timezone: "Australia/Adelaide", now: "2026-06-14T12:00:00Z" });
    expectUnderstood("Call mum every sunday", { title: "Call mum", dueDate: "2026-06-21", rrule: "FREQ=WEEKLY;BYDAY=SU" }, { timezone: "Etc/GMT+12", now: "2026-06-15T12:30:00Z" });
  });

  it("on the day clocks go forward (Berlin, 29 March 2026)", () => {
    // 23:59 CET on the 28th, then 00:01 on the 29th; that day has 23 hours.
    expectUnderstood("Pay rent tomorrow", { title: "Pay rent", dueDate: "2026-03-29" }, { timezone: "Europe/Berlin", now: "2026-03-28T22:59:00Z" });
    expectUnderstood("Pay rent tomorrow 9am", { title: "Pay rent", dueDate: "2026-03-30", dueTime: "09:00" }, { timezone: "Europe/Berlin", now: "2026-03-28T23:01:00Z" });
    expectUnderstood("Renew in 3 days", { title: "Renew", dueDate: "2026-04-01" }, { timezone: "Europe/Berlin", now: "2026-03-29T10:00:00Z" });
  });

  it("on the day clocks go back (New York, 1 November 2026)", () => {
    // 23:59 EDT on 31 October, then 00:01 on 1 November; that day has 25 hours.
    expectUnderstood("Pay rent tomorrow", { title: "Pay rent", dueDate: "2026-11-01" }, { timezone: "America/New_York", now: "2026-11-01T03:59:00Z" });
    expectUnderstood("Pay rent tomorrow", { title: "Pay rent", dueDate: "2026-11-02" }, { timezone: "America/New_York", now: "2026-11-01T04:01:00Z" });
    // 23:30 EST on 1 November (04:30 UTC the next day): still the 1st there.
    expectUnderstood("Call at 11:45pm", { title: "Call", dueDate: "2026-11-01", dueTime: "23:45" }, { timezone: "America/New_York", now: "2026-11-02T04:30:00Z" });
  });
});

describe("quick add: what it took", () => {
  it("spans cover exactly the words taken, in order, and the title is what is left", () => {
    const text = "Pay rent tomorrow 9am !high";
    const got = understood(text);
    expect(got.spans.map((s) => [text.slice(s.start, s.end), s.kind])).toEqual([
      ["tomorrow 9am", "due"],
      ["!high", "priority"],
    ]);
    expect(echoRuns(text, got)).toEqual([
      { text: "Pay rent ", taken: false },
      { text: "tomorrow 9am", taken: true },
      { text: " ", taken: false },
      { text: "!high", taken: true },
    ]);
  });

  it("lead-in words go with the date they lead into", () => {
    const text = "Report due every friday";
    const got = understood(text);
    expect(got.spans.map((s) => text.slice(s.start, s.end))).toEqual(["due every friday"]);
    expect(got.title).toBe("Report");
  });

  it("the summary says when, priority and repetition in words", () => {
    expect(understoodSummary(understood("Pay rent tomorrow 9am !high"), "2026-06-15")).toBe("tomorrow 09:00, high");
    expect(understoodSummary(understood("Buy milk"), "2026-06-15")).toBe("");
    expect(understoodSummary(understood("Report on the last day of every month"), "2026-06-15")).toMatch(/^Tue 30 Jun 2026, every month on the last day/);
  });

  it("only a title's worth of words is no title", () => {
    expect(understood("tomorrow 9am !high").title).toBe("");
  });
});
