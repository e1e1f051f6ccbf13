import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  pgEnum,
  pgTable,
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
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

/** Failed logins, counted in the database so limits hold across processes and isolates. */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    account: text("account").notNull(),
    ip: text("ip").notNull(),
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
  },
  (t) => [
    index("tasks_user_due_idx").on(t.userId, t.dueAt, t.id),
    index("tasks_user_created_idx").on(t.userId, t.createdAt, t.id),
    index("tasks_user_updated_idx").on(t.userId, t.updatedAt, t.id),
    index("tasks_due_at_idx").on(t.dueAt),
    check("tasks_title_length", sql`char_length(${t.title}) between 1 and 200`),
    check("tasks_notes_length", sql`char_length(${t.notes}) <= 10000`),
    check("tasks_due_consistent", sql`(${t.dueDate} is null) = (${t.dueAt} is null)`),
    check("tasks_time_needs_date", sql`${t.dueTime} is null or ${t.dueDate} is not null`),
    check("tasks_completed_when_done", sql`(${t.status} = 'done') = (${t.completedAt} is not null)`),
  ],
);

export type User = typeof users.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type TaskPriority = (typeof taskPriority.enumValues)[number];
export type TaskStatus = (typeof taskStatus.enumValues)[number];
