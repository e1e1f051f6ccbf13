import { sql } from "drizzle-orm";
import { loadArgon2ForNode } from "../../src/auth/argon2-node.js";
import { createPasswordHasher } from "../../src/auth/password.js";
import { rowsOf, type Database } from "../../src/db/database.js";

/**
 * Seeds the benchmark's data shape with a few set-based statements run by the database itself
 * (INSERT … SELECT generate_series), so a million tasks take seconds rather than a million round
 * trips. Every "random" choice is a hash of the row number: two runs seed the same data.
 */

export interface Shape {
  users: number;
  tasksPerUser: number;
}

export interface Seeded {
  /** The account the load signs in as (bench-000000), with a real argon2id hash. */
  signIn: { email: string; password: string; timezone: string };
  /** Its task ids, oldest first: the complete route cycles through them. */
  taskIds: string[];
  /**
   * More 1,000-task accounts with the same password, for POST /tasks: one account would reach the
   * 10,000-task cap within a run (and answer 422), so the creates rotate over these.
   */
  writers: string[];
  seconds: number;
}

export const BENCH_PASSWORD = "bench correct horse battery";
/** Accounts POST /tasks rotates over: 8 × 9,000 free places is more than 13 s of creates at 3,000/s. */
const WRITERS = 8;

// A mix of real IANA zones (canonical names, as the app stores them), so local days and reminder
// hours differ between users as they do in production.
const ZONES = ["Europe/Berlin", "UTC", "America/New_York", "Asia/Tokyo", "America/Los_Angeles", "Asia/Calcutta", "Australia/Sydney", "America/Sao_Paulo"];

// Every word has 5+ letters, so ten of them always fill the longest title (50); some contain "ab",
// so the search route (?q=ab) matches a share of the rows, as a short real search would.
const WORDS = [
  "review", "invoice", "dentist", "garden", "report", "meeting", "groceries", "laundry", "budget", "renew",
  "passport", "email", "plans", "draft", "schedule", "insurance", "repair", "bicycle", "library", "deploy",
  "update", "backup", "dinner", "doctor", "reply", "order", "return", "parcel", "clean", "kitchen",
  "garage", "taxes", "slides", "design", "sprint", "notes", "paint", "fence", "water", "plants",
  "table", "label", "cable", "about", "stable", "habit", "abstract", "probably",
];

const literalArray = (items: string[]) => sql.raw(`array[${items.map((w) => `'${w.replace(/'/g, "''")}'`).join(",")}]`);

export async function seed(database: Database, shape: Shape, now: Date): Promise<Seeded> {
  const started = performance.now();
  const { db } = database;
  const total = shape.users * shape.tasksPerUser;
  const nowIso = now.toISOString();

  // reminder_hour is at or before each user's local hour at `now`, so the reminder scan at `now`
  // finds every user with open tasks near a deadline due for today's reminders.
  await db.execute(sql`
    insert into users (email, name, password_hash, timezone, reminder_hour, created_at, updated_at, email_verified_at)
    select format('bench-%s@example.com', lpad(n::text, 6, '0')), format('Bench user %s', n), 'bench-user-without-password',
      z.zone,
      (abs(hashint8extended(n, 7)) % (extract(hour from ${nowIso}::timestamptz at time zone z.zone)::int + 1))::smallint,
      ${nowIso}::timestamptz - interval '90 days', ${nowIso}::timestamptz - interval '90 days', ${nowIso}::timestamptz - interval '90 days'
    from generate_series(0, ${shape.users - 1}::int) n,
      lateral (select (${literalArray(ZONES)})[1 + n % ${ZONES.length}] as zone) z`);

  // Task g belongs to user g % users: consecutive rows belong to different users, as when people add
  // tasks over time. created_at rises with g over the last 60 days; due dates run from 30 days ago to
  // 30 days ahead in the owner's zone, due at the end of that day (as the app stores date-only tasks).
  const word = (seed: number) => sql.raw(`w[(1 + abs(hashint8extended(g, ${seed})) % ${WORDS.length})::int]`);
  const words = sql.join(Array.from({ length: 10 }, (_, i) => word(100 + i)), sql.raw(" || ' ' || "));
  await db.execute(sql`
    with u as (select id, timezone, (row_number() over (order by email) - 1)::int as n from users),
    rows as (
      select g,
        (array['low','medium','high'])[(1 + abs(hashint8extended(g, 1)) % 3)::int]::task_priority as priority,
        case when abs(hashint8extended(g, 2)) % 100 < 50 then 'done'
             when abs(hashint8extended(g, 2)) % 100 < 75 then 'todo'
             else 'in_progress' end::task_status as status,
        (-30 + abs(hashint8extended(g, 3)) % 61)::int as due_offset,
        (8 + abs(hashint8extended(g, 4)) % 43)::int as title_length,
        ${words} as phrase,
        ${nowIso}::timestamptz - make_interval(secs => (${total}::int - g) * (5184000.0 / ${total}::int)) as created
      from generate_series(0, ${total - 1}::int) g, (select ${literalArray(WORDS)} as w) words
    ),
    shaped as (
      select r.*, u.id as user_id, u.timezone,
        ((${nowIso}::timestamptz at time zone u.timezone)::date + r.due_offset) as due_date,
        -- a phrase cut mid-word may end in a space, which the title rules would not keep
        regexp_replace(left(r.phrase, r.title_length), ' $', 's') as title
      from rows r join u on u.n = r.g % ${shape.users}::int
    )
    insert into tasks (user_id, title, priority, status, due_date, due_at, created_at, updated_at, completed_at)
    select user_id, title, priority, status, due_date,
      ((due_date + 1)::timestamp - interval '1 millisecond') at time zone timezone,
      created, created, case when status = 'done' then created end
    from shaped order by g`);

  // Planner statistics and a fresh visibility map, as a table that has lived a while would have.
  await db.execute(sql`vacuum analyze users`);
  await db.execute(sql`vacuum analyze tasks`);

  const email = "bench-000000@example.com";
  const writers = Array.from({ length: Math.min(WRITERS, shape.users) }, (_, i) => `bench-${String(i).padStart(6, "0")}@example.com`);
  const passwordHash = await createPasswordHasher(loadArgon2ForNode).hash(BENCH_PASSWORD);
  await db.execute(sql`update users set password_hash = ${passwordHash} where email = any(${`{${writers.join(",")}}`}::text[])`);
  const owner = rowsOf<{ id: string; timezone: string }>(await db.execute(sql`select id, timezone from users where email = ${email}`))[0]!;
  const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from tasks where user_id = ${owner.id} order by created_at, id`));
  return {
    signIn: { email, password: BENCH_PASSWORD, timezone: owner.timezone },
    taskIds: ids.map((r) => r.id),
    writers,
    seconds: (performance.now() - started) / 1000,
  };
}
