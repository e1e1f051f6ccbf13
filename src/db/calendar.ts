import { sql, type SQL } from "drizzle-orm";

// The SQL forms of the calendar rules in src/tasks/due.ts, for statements that work on many users'
// zones at once. tests/calendar.property.test.ts holds each to its TypeScript form.

/**
 * Local midnight starting `date` in `zone` as PostgreSQL reads it: where midnight occurs twice
 * (Cuba, Gaza) the second time, where it does not occur the moment clocks jump to. Within an hour
 * of the day's true start, so good for index ranges widened by an hour; not for exact bounds.
 */
export function localMidnightSql(date: SQL, zone: SQL): SQL {
  return sql`((${date})::timestamp at time zone ${zone})`;
}

/**
 * The last millisecond of local date `date` in `zone` (`endOfLocalDay`): just before the first
 * moment of the next date. Where the next midnight occurs twice, its first occurrence: it is read
 * with the offset in force a day earlier, kept when that reading is really midnight there.
 */
export function endOfLocalDaySql(date: SQL, zone: SQL): SQL {
  return sql`((select case when (c.early at time zone c.z) = c.n then c.early else c.late end
    from (select v.n, v.z, v.late, (v.n - ((v.late - interval '1 day') at time zone v.z - (v.late - interval '1 day') at time zone 'UTC')) at time zone 'UTC' as early
      from (select (${date})::date + 1 as n, (${zone})::text as z, ${localMidnightSql(sql`(${date})::date + 1`, zone)} as late) v) c)
    - interval '1 millisecond')`;
}

/** The local date in `zone` at instant `at` (`localDate`). */
export function localDateSql(at: SQL, zone: SQL): SQL {
  return sql`((${at}) at time zone ${zone})::date`;
}

/** The local hour (0–23) in `zone` at instant `at`: `>= hour` is `firstMomentAtHour` reached. */
export function localHourSql(at: SQL, zone: SQL): SQL {
  return sql`extract(hour from (${at}) at time zone ${zone})`;
}
