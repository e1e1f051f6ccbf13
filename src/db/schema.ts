import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  /** IANA zone name; every local date and hour of this user is read in it. */
  timezone: text("timezone").notNull().default("UTC"),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  remindersEnabled: boolean("reminders_enabled").notNull().default(true),
  /** Local hour (0-23) at which the day's reminders go out. */
  reminderHour: smallint("reminder_hour").notNull().default(8),
  /** Days before a due date to remind; the due day itself always counts. */
  leadDays: smallint("lead_days").array().notNull().default(sql`'{2,1}'::smallint[]`),
  overdueReminders: boolean("overdue_reminders").notNull().default(true),
  reminderDelivery: text("reminder_delivery", { enum: ["digest", "per_task"] }).notNull().default("digest"),
  /** Set when the mail provider reports the address inactive; reminders stay off until cleared. */
  remindersPausedReason: text("reminders_paused_reason"),
  /**
   * When the owner proved the address is theirs (a verification link, or a password reset, which
   * also goes by mail). Null: no reminder goes to it. Accounts older than verification count as verified.
   */
  emailVerifiedAt: timestamptz("email_verified_at"),
  /**
   * How the owner writes numeric dates in quick add ("3/12"): day first or month first. Null:
   * follow the browser's Accept-Language until they choose.
   */
  dateOrder: text("date_order", { enum: ["dmy", "mdy"] }),
});

/** Lucia-guide sessions: the cookie holds `id.secret`; only SHA-256(secret) is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    /** Moved at most once an hour (with the sliding expiry), never a write on every request. */
    lastUsedAt: timestamptz("last_used_at"),
    /** A short browser and OS description ("Firefox on Linux") for the sessions page; never the raw User-Agent. */
    device: text("device").notNull().default(""),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

/** Failed logins, counted in the database so limits hold across processes and isolates. */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    account: text("account").notNull(),
    /** The client's network key: an IPv4 address, or an IPv6 /64 (src/auth/network-key.ts). */
    ip: text("ip").notNull(),
    /** The id of a valid device cookie the attempt carried (src/auth/device-cookie.ts), else null. */
    device: text("device"),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [
    index("login_failures_account_idx").on(t.account, t.createdAt),
    index("login_failures_ip_idx").on(t.ip, t.createdAt),
  ],
);

// Declaration order is the sort order: ORDER BY priority DESC puts urgent first.
export const taskPriority = pgEnum("task_priority", ["low", "medium", "high", "urgent"]);
export const taskStatus = pgEnum("task_status", ["todo", "in_progress", "done"]);

export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    notes: text("notes").notNull().default(""),
    priority: taskPriority("priority").notNull().default("medium"),
    status: taskStatus("status").notNull().default("todo"),
    /** The date the owner picked, in their timezone. */
    dueDate: date("due_date", { mode: "string" }),
    /** Optional time of day; without it the task is due at the end of dueDate. */
    dueTime: time("due_time"),
    /** The exact due moment derived from dueDate, dueTime and the owner's timezone. */
    dueAt: timestamptz("due_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    completedAt: timestamptz("completed_at"),
    remindersEnabled: boolean("reminders_enabled").notNull().default(true),
    /**
     * Repetition as an RFC 5545 RRULE value without DTSTART ("FREQ=MONTHLY;BYMONTHDAY=-1"),
     * read in the owner's zone on local dates (src/recurrence/). Null: the task happens once.
     */
    rrule: text("rrule"),
    /** "due": the next occurrence follows the due date; "completion": it counts from the day it was done. */
    repeatFrom: text("repeat_from", { enum: ["due", "completion"] }).notNull().default("due"),
    /** Which occurrence of the rule the task is at now (1 = the first): what COUNT limits. */
    occurrence: integer("occurrence").notNull().default(1),
  },
  (t) => [
    index("tasks_user_due_idx").on(t.userId, t.dueAt, t.id),
    index("tasks_user_created_idx").on(t.userId, t.createdAt, t.id),
    index("tasks_user_updated_idx").on(t.userId, t.updatedAt, t.id),
    // Counts per status under any filter but search read only this index (index-only scans; the
    // table's autovacuum settings in the migration keep the visibility map fresh for them).
    index("tasks_user_status_idx").on(t.userId, t.status, t.priority, t.dueAt),
    // The reminder scan probes each user's open tasks with reminders on by due moment: only those
    // rows are in this index, so a probe never steps over done tasks.
    index("tasks_user_open_due_idx")
      .on(t.userId, t.dueAt)
      .where(sql`${t.status} <> 'done' and ${t.remindersEnabled}`),
    // The open tasks in due order: the list's default (open, by due date), Today and Upcoming read
    // them without stepping over done tasks, which come first by due date once an owner has used
    // the app a while (a list page read 600 index entries and heap rows for 51 without it).
    index("tasks_user_open_list_idx")
      .on(t.userId, t.dueAt, t.id)
      .where(sql`${t.status} <> 'done'`),
    // The Done view pages an owner's finished tasks by completion time, newest first.
    index("tasks_user_completed_idx")
      .on(t.userId, t.completedAt, t.id)
      .where(sql`${t.status} = 'done'`),
    // Search (ILIKE '%words%') on title and notes through trigrams (pg_trgm).
    index("tasks_title_trgm_idx").using("gin", t.title.op("gin_trgm_ops")),
    index("tasks_notes_trgm_idx").using("gin", t.notes.op("gin_trgm_ops")),
    check("tasks_title_length", sql`char_length(${t.title}) between 1 and 200`),
    check("tasks_notes_length", sql`char_length(${t.notes}) <= 10000`),
    check("tasks_due_consistent", sql`(${t.dueDate} is null) = (${t.dueAt} is null)`),
    check("tasks_time_needs_date", sql`${t.dueTime} is null or ${t.dueDate} is not null`),
    check("tasks_completed_when_done", sql`(${t.status} = 'done') = (${t.completedAt} is not null)`),
    check("tasks_rrule_length", sql`char_length(${t.rrule}) <= 500`),
    check("tasks_rrule_needs_date", sql`${t.rrule} is null or ${t.dueDate} is not null`),
  ],
);

/**
 * Occurrences of a repeating task that were completed: the task itself moves on to its next
 * occurrence, and this row is what the Done view lists and what "undo" puts back.
 */
export const taskCompletions = pgTable(
  "task_completions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    occurrence: integer("occurrence").notNull(),
    /** The occurrence's deadline as it was when completed. */
    dueDate: date("due_date", { mode: "string" }).notNull(),
    dueTime: time("due_time"),
    dueAt: timestamptz("due_at").notNull(),
    completedAt: timestamptz("completed_at").notNull(),
  },
  (t) => [
    index("task_completions_user_idx").on(t.userId, t.completedAt),
    index("task_completions_task_idx").on(t.taskId, t.completedAt),
  ],
);

/**
 * How many tasks each owner has, so the 10,000-task cap reads a few rows instead of counting the
 * owner's tasks (which grew with every task). Kept by statement-level triggers on tasks (migration
 * 0006), spread over TASK_COUNT_STRIPES rows per owner, each statement adding to a random one: one
 * counter row would be locked by every insert until its commit, so one person's concurrent writes
 * would queue behind each other (measured: 270 inserts/s with one row, 660 with 16, 790 unchecked).
 * The count is the sum of the owner's rows.
 */
export const userTaskCounts = pgTable(
  "user_task_counts",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    stripe: smallint("stripe").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.stripe] })],
);

export const outboxStatus = pgEnum("outbox_status", ["pending", "sending", "sent", "failed", "suppressed", "expired"]);

/**
 * Reminder emails waiting to be sent, or sent. The scan inserts rows under a unique dedupe key
 * (`digest:<user>:<local date>` or `task:<task>:<slot>:<due date>`) with ON CONFLICT DO NOTHING,
 * so no run, however repeated or overlapping, can queue the same reminder twice.
 */
export const reminderOutbox = pgTable(
  "reminder_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["digest", "task"] }).notNull(),
    dedupeKey: text("dedupe_key").notNull().unique(),
    localDate: date("local_date", { mode: "string" }).notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull(),
    leaseUntil: timestamptz("lease_until"),
    /** A digest is worth sending only on its own local day; after this it is marked expired. */
    expiresAt: timestamptz("expires_at").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    htmlBody: text("html_body").notNull(),
    textBody: text("text_body").notNull(),
    unsubscribeUrl: text("unsubscribe_url").notNull(),
    messageId: text("message_id"),
    lastError: text("last_error"),
    createdAt: timestamptz("created_at").notNull(),
    sentAt: timestamptz("sent_at"),
  },
  (t) => [
    index("reminder_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("reminder_outbox_user_idx").on(t.userId, t.createdAt),
  ],
);

/**
 * Which tasks each reminder email covered, for the task page's reminder history. task_id has no
 * foreign key: checking one takes a row lock on the task for every item the scan writes (about
 * 2 s of a 1,000,000-task scan); a statement-level trigger on tasks (migration 0007) deletes a
 * deleted task's items instead, as the cascade did.
 */
export const reminderItems = pgTable(
  "reminder_items",
  {
    outboxId: uuid("outbox_id")
      .notNull()
      .references(() => reminderOutbox.id, { onDelete: "cascade" }),
    taskId: uuid("task_id").notNull(),
    grp: text("grp", { enum: ["overdue", "today", "soon"] }).notNull(),
    slot: text("slot").notNull(),
    /** The occurrence's due date the reminder was about (a repeating task has many); null in rows from before 0006. */
    dueDate: date("due_date", { mode: "string" }),
  },
  (t) => [primaryKey({ columns: [t.outboxId, t.taskId] }), index("reminder_items_task_idx").on(t.taskId)],
);

/**
 * Users the scan has handled for a local date, whether or not anything was due: the next run
 * skips them, so a run bounded in batches continues where the previous one stopped.
 */
export const reminderScans = pgTable(
  "reminder_scans",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    localDate: date("local_date", { mode: "string" }).notNull(),
    scannedAt: timestamptz("scanned_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.localDate] })],
);

/** Email action links are single-use: a link's nonce is recorded here when it is used. */
export const usedActionTokens = pgTable("used_action_tokens", {
  nonce: text("nonce").primaryKey(),
  usedAt: timestamptz("used_at").notNull(),
});

/**
 * Single-use links mailed for account flows (verify an address, reset a password, confirm or undo
 * an address change). The link carries `id.secret`; only SHA-256(secret) is stored, as for sessions.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["verify", "reset", "email_change", "email_undo"] }).notNull(),
    /** The address the link is about: the one to verify, the new one of a change, the old one to restore. */
    email: text("email").notNull(),
    createdAt: timestamptz("created_at").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
  },
  (t) => [index("account_tokens_user_idx").on(t.userId, t.purpose)],
);

/**
 * Account mail (verification, reset, notices) waiting to be sent: the transactional outbox. A row
 * is deleted once sent, so no copy of a message outlives its delivery; `user_id` is null for mail
 * to someone without (or no longer with) an account.
 */
export const accountMail = pgTable(
  "account_mail",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** What the mail is (verify, reset, …): Postmark's tag, and the log's. */
    purpose: text("purpose").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    htmlBody: text("html_body").notNull(),
    textBody: text("text_body").notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull(),
    leaseUntil: timestamptz("lease_until"),
    lastError: text("last_error"),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [index("account_mail_due_idx").on(t.status, t.nextAttemptAt)],
);

/**
 * Counted actions for the account limits (src/auth/account-limits.ts): one row per registration,
 * mail asked for, …, under the client's network key or a keyed digest of an address (never the address).
 */
export const actionLimits = pgTable(
  "action_limits",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    action: text("action").notNull(),
    subject: text("subject").notNull(),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [index("action_limits_subject_idx").on(t.action, t.subject, t.createdAt)],
);

/** Without a Postmark token, mail is kept here and shown at /dev/mailbox instead of being sent. */
export const devMailbox = pgTable(
  "dev_mailbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    toAddress: text("to_address").notNull(),
    fromAddress: text("from_address").notNull(),
    subject: text("subject").notNull(),
    htmlBody: text("html_body").notNull(),
    textBody: text("text_body").notNull(),
    headers: jsonb("headers").$type<{ Name: string; Value: string }[]>().notNull(),
    messageStream: text("message_stream").notNull(),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [index("dev_mailbox_to_idx").on(t.toAddress, t.createdAt)],
);

/** Secrets the app generates for itself (the email-link signing key when none is configured). */
export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});

export type User = typeof users.$inferSelect;
export type OutboxRow = typeof reminderOutbox.$inferSelect;
export type AccountTokenRow = typeof accountTokens.$inferSelect;
export type AccountMailRow = typeof accountMail.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type TaskCompletion = typeof taskCompletions.$inferSelect;
export type TaskPriority = (typeof taskPriority.enumValues)[number];
export type TaskStatus = (typeof taskStatus.enumValues)[number];
export type NewDevMail = typeof devMailbox.$inferInsert;
