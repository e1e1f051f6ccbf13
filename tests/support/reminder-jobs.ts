import { asc, eq, inArray } from "drizzle-orm";
import { DateTime } from "luxon";
import { devMailbox, reminderItems, reminderOutbox, tasks, users, type OutboxRow, type Task } from "../../src/db/schema.js";
import type { Mailer } from "../../src/email/mailer.js";
import type { JobDeps } from "../../src/reminders/jobs.js";
import { dueMoment } from "../../src/tasks/due.js";
import { APP_URL, uniqueEmail, type TestApp } from "./test-app.js";

/**
 * Fixtures for the reminder-job tests: users and tasks inserted straight through Drizzle (no
 * argon2 per user), and look-ups scoped to the users a test made, since the real-PostgreSQL run
 * shares one database with every other file.
 */

export const HOUR = 60 * 60 * 1000;
export const MINUTE = 60 * 1000;

export interface UserOpts {
  name?: string;
  timezone?: string;
  remindersEnabled?: boolean;
  reminderHour?: number;
  leadDays?: number[];
  overdueReminders?: boolean;
  reminderDelivery?: "digest" | "per_task";
  remindersPausedReason?: string | null;
  /** Fixture users have verified their address unless a test says otherwise. */
  verified?: boolean;
}

export interface FixtureUser {
  id: string;
  email: string;
  timezone: string;
}

export async function makeUser(t: TestApp, opts: UserOpts = {}): Promise<FixtureUser> {
  const email = uniqueEmail();
  const timezone = opts.timezone ?? "UTC";
  const [row] = await t.database.db
    .insert(users)
    .values({
      email,
      name: opts.name ?? "Grace Hopper",
      // Never used to sign in: these users only receive reminders.
      passwordHash: "fixture-without-password",
      timezone,
      emailVerifiedAt: opts.verified === false ? null : new Date("2026-01-01T00:00:00Z"),
      ...(opts.remindersEnabled !== undefined && { remindersEnabled: opts.remindersEnabled }),
      ...(opts.reminderHour !== undefined && { reminderHour: opts.reminderHour }),
      ...(opts.leadDays !== undefined && { leadDays: opts.leadDays }),
      ...(opts.overdueReminders !== undefined && { overdueReminders: opts.overdueReminders }),
      ...(opts.reminderDelivery !== undefined && { reminderDelivery: opts.reminderDelivery }),
      ...(opts.remindersPausedReason !== undefined && { remindersPausedReason: opts.remindersPausedReason }),
    })
    .returning({ id: users.id });
  return { id: row!.id, email, timezone };
}

export interface TaskOpts {
  title?: string;
  /** YYYY-MM-DD in the owner's zone. */
  dueDate: string;
  /** HH:MM, optional. */
  dueTime?: string;
  priority?: Task["priority"];
  status?: Task["status"];
  remindersEnabled?: boolean;
}

/** A task as the app stores it: due_at derived from the date, time and owner's zone. */
export async function addTask(t: TestApp, user: FixtureUser, opts: TaskOpts): Promise<Task> {
  const created = new Date(Date.UTC(2020, 0, 1));
  const [row] = await t.database.db
    .insert(tasks)
    .values({
      userId: user.id,
      title: opts.title ?? `Task ${crypto.randomUUID().slice(0, 8)}`,
      priority: opts.priority ?? "medium",
      status: opts.status ?? "todo",
      completedAt: opts.status === "done" ? created : null,
      dueDate: opts.dueDate,
      dueTime: opts.dueTime ?? null,
      dueAt: dueMoment(opts.dueDate, opts.dueTime ?? null, user.timezone),
      remindersEnabled: opts.remindersEnabled ?? true,
      createdAt: created,
      updatedAt: created,
    })
    .returning();
  return row!;
}

export function jobDeps(t: TestApp, mailer: Mailer = t.mailer, config: Partial<JobDeps["config"]> = {}): JobDeps {
  return { database: t.database, mailer, config: { appUrl: new URL(APP_URL), ...config } };
}

/** Outbox rows of these users, oldest first. */
export async function outboxOf(t: TestApp, ...userIds: string[]): Promise<OutboxRow[]> {
  return t.database.db
    .select()
    .from(reminderOutbox)
    .where(inArray(reminderOutbox.userId, userIds))
    .orderBy(asc(reminderOutbox.createdAt), asc(reminderOutbox.dedupeKey));
}

export async function outboxRow(t: TestApp, id: string): Promise<OutboxRow> {
  const [row] = await t.database.db.select().from(reminderOutbox).where(eq(reminderOutbox.id, id));
  return row!;
}

/** Tasks each outbox row covered (reminder_items), keyed by outbox id. */
export async function itemsOf(t: TestApp, outboxIds: string[]) {
  if (!outboxIds.length) return [];
  return t.database.db.select().from(reminderItems).where(inArray(reminderItems.outboxId, outboxIds));
}

/** What the dev mailer delivered to this address (what the user would find in their inbox). */
export async function inbox(t: TestApp, email: string) {
  return t.database.db.select().from(devMailbox).where(eq(devMailbox.toAddress, email)).orderBy(asc(devMailbox.createdAt), asc(devMailbox.id));
}

/** The UTC instant of a local wall-clock time in a zone, e.g. at("2026-03-08T02:00", "America/New_York"). */
export function at(localIso: string, zone: string): Date {
  return DateTime.fromISO(localIso, { zone }).toJSDate();
}

/** Every whole UTC hour from `from` (inclusive) to `to` (exclusive). */
export function* hourly(from: Date, to: Date): Generator<Date> {
  for (let ms = from.getTime(); ms < to.getTime(); ms += HOUR) yield new Date(ms);
}

/** YYYY-MM-DD `days` after `date`. */
export function plusDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ days }).toISODate()!;
}

/**
 * A date range no other test touches, so that in the shared real database one test's scan never
 * picks up another test's users: each call moves `step` days further from `start`.
 */
export function dateRanges(start: string, step = 75) {
  let n = 0;
  return () => plusDays(start, step * n++);
}
