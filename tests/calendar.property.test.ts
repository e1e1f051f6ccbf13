import { sql, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { endOfLocalDaySql, localDateSql, localHourSql } from "../src/db/calendar.js";
import { rowsOf } from "../src/db/database.js";
import { sendMoment } from "../src/reminders/slots.js";
import { addDays, endOfLocalDay, localDate } from "../src/tasks/due.js";
import { openTestDatabase } from "./support/database.js";

// The calendar rules that exist both in SQL (statements over many users' zones) and in
// TypeScript must give the same answers: a property test over seeded random zones, dates and
// the instants around every DST change of the chosen years, against the real database.
const database = await openTestDatabase();
const { db } = database;
afterAll(() => database.close());

const SEED = 20261201;
/** mulberry32: a small seeded generator, so a failure is reproduced by running the test again. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(SEED);
const pick = <T,>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

// Zones whose changes sit at midnight, move by half an hour, or skipped a whole day.
const TRICKY = ["America/Santiago", "America/Havana", "Asia/Beirut", "America/Asuncion", "Australia/Lord_Howe", "Pacific/Apia", "America/Sao_Paulo", "Asia/Gaza", "Europe/London", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham"];
const ZONES_PER_RUN = 150;
// Years both zone databases (the engine's and PostgreSQL's) describe the same way: later years
// depend on rule changes one of them may not have yet.
const FIRST_YEAR = 1995;
const LAST_YEAR = 2021;

const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;

/** The instants in `year` at which the zone's UTC offset changes (to the millisecond). */
function transitions(zone: string, year: number): number[] {
  const found: number[] = [];
  let prev = Date.UTC(year, 0, 1);
  for (let day = 1; day <= 366; day++) {
    const next = Date.UTC(year, 0, 1) + day * 86_400_000;
    if (offsetAt(prev, zone) !== offsetAt(next, zone)) {
      let [lo, hi] = [prev, next];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid, zone) === offsetAt(lo, zone)) lo = mid;
        else hi = mid;
      }
      found.push(hi);
    }
    prev = next;
  }
  return found;
}

interface Cases {
  days: { z: string; d: string }[];
  instants: { z: string; at: string; h: number }[];
}

function generate(zones: string[]): Cases & { transitions: number } {
  const cases: Cases = { days: [], instants: [] };
  let changes = 0;
  const instant = (z: string, ms: number, h = int(0, 23)) => cases.instants.push({ z, at: new Date(ms).toISOString(), h });
  const years = zones.flatMap((z) => (TRICKY.includes(z) ? [FIRST_YEAR, 2005, 2011, 2015, 2019].map((y) => [z, y] as const) : [[z, int(FIRST_YEAR, LAST_YEAR)] as const]));
  for (const [z, year] of years) {
    for (let i = 0; i < 10; i++) {
      const ms = Date.UTC(year, 0, 1) + Math.floor(rnd() * 365 * 86_400_000);
      instant(z, ms);
      cases.days.push({ z, d: new Date(ms).toISOString().slice(0, 10) });
    }
    for (const t of transitions(z, year)) {
      changes += 1;
      for (const delta of [-3_600_000, -1, 0, 1, 3_600_000]) instant(z, t + delta);
      // A reminder hour the clocks jump over, or repeat: the hours on both sides of the change.
      for (const h of new Set([DateTime.fromMillis(t - 1, { zone: z }).hour, DateTime.fromMillis(t, { zone: z }).hour])) {
        for (const delta of [-1, 0, 1]) instant(z, t + delta, h);
      }
      const day = localDate(new Date(t), z);
      for (const d of [addDays(day, -1), day, addDays(day, 1)]) {
        cases.days.push({ z, d });
        // Both sides of each local midnight around the change.
        const end = endOfLocalDay(d, z).getTime();
        instant(z, end);
        instant(z, end + 1);
      }
    }
  }
  return { ...cases, transitions: changes };
}

const json = (rows: object[]): SQL => sql`${JSON.stringify(rows)}::json`;

describe("calendar rules: SQL and TypeScript agree", async () => {
  const known = new Set(rowsOf<{ name: string }>(await db.execute(sql`select name from pg_timezone_names`)).map((r) => r.name));
  const all = Intl.supportedValuesOf("timeZone").filter((z) => known.has(z));
  const zones = [...new Set([...TRICKY.filter((z) => known.has(z)), ...Array.from({ length: ZONES_PER_RUN }, () => pick(all))])];
  const cases = generate(zones);

  it(`on ${zones.length} zones, ${cases.transitions} DST changes, ${cases.days.length} dates and ${cases.instants.length} instants (seed ${SEED})`, async () => {
    expect(cases.transitions).toBeGreaterThan(50);

    const ends = rowsOf<{ z: string; d: string; ms: number | string }>(
      await db.execute(sql`select r.z, r.d, (extract(epoch from ${endOfLocalDaySql(sql`r.d::date`, sql`r.z`)}) * 1000)::float8 as ms
        from json_to_recordset(${json(cases.days)}) as r(z text, d text)`),
    );
    const endMismatches = ends.filter((r) => Number(r.ms) !== endOfLocalDay(r.d, r.z).getTime());
    expect(endMismatches.slice(0, 5), "end of the local day").toEqual([]);
    expect(ends.length).toBe(cases.days.length);

    const locals = rowsOf<{ z: string; at: string; h: number; local: string; reached: boolean }>(
      await db.execute(sql`select r.z, r.at, r.h, ${localDateSql(sql`r.at::timestamptz`, sql`r.z`)}::text as local,
          ${localHourSql(sql`r.at::timestamptz`, sql`r.z`)} >= r.h as reached
        from json_to_recordset(${json(cases.instants)}) as r(z text, at text, h int)`),
    );
    const dateMismatches = locals.filter((r) => r.local !== localDate(new Date(r.at), r.z));
    expect(dateMismatches.slice(0, 5), "local date").toEqual([]);
    // The scan's "the reminder hour has come" (SQL) and the task page's send moment (TypeScript).
    // One known difference: where clocks go back by a part of an hour (Chatham's 03:45 → 02:45), the
    // local hour drops and a run in that window finds the hour "not yet come"; the next run sends.
    const wentBack = (at: Date, z: string) => {
      const now = DateTime.fromJSDate(at, { zone: z });
      return Array.from({ length: 60 }, (_, k) => DateTime.fromMillis(at.getTime() - 1 - k * 60_000, { zone: z })).some(
        (before) => before.toISODate() === now.toISODate() && before.hour > now.hour,
      );
    };
    const hourMismatches = locals.filter((r) => {
      const now = new Date(r.at);
      const sent = now >= sendMoment(localDate(now, r.z), { timezone: r.z, reminderHour: Number(r.h) });
      return r.reached !== sent && !(sent && wentBack(now, r.z));
    });
    expect(hourMismatches.slice(0, 5), "reminder hour reached").toEqual([]);
    expect(locals.length).toBe(cases.instants.length);
  });
});
