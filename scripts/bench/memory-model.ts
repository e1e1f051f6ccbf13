import type { Task, TaskPriority, TaskStatus, User } from "../../src/db/schema.js";
import { itemContext, listUrl, PAGE_SIZE } from "../../src/loaders/task-list.js";
import { cursorAfter } from "../../src/tasks/cursor.js";
import { dueMoment } from "../../src/tasks/due.js";
import { parseFilter } from "../../src/tasks/filters.js";
import type { ListModel } from "../../src/views/task-list.js";

/**
 * The first page of GET /tasks for a 1,000-task user, built in memory the way loadList builds it
 * (src/loaders/task-list.ts): same sort (due date), same shape of rows as the seed (priorities low to
 * high, half done, due from 30 days ago, titles 8–50 characters), same counts and "load more" cursor.
 */
const TIMEZONE = "Europe/Berlin";
const PRIORITIES: TaskPriority[] = ["low", "medium", "high"];
const TITLES = ["Renew passport", "Review the garden budget plans", "Email the dentist about the invoice and the cable", "Draft slides", "Repair bicycle", "Library return: stable habit notes"];

export const memoryUser: User = {
  id: "00000000-0000-4000-8000-000000000000",
  email: "bench-000000@example.com",
  name: "Bench user 0",
  passwordHash: "",
  timezone: TIMEZONE,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  emailVerifiedAt: new Date(0),
  remindersEnabled: true,
  reminderHour: 8,
  leadDays: [2, 1],
  overdueReminders: true,
  reminderDelivery: "digest",
  remindersPausedReason: null,
  dateOrder: null,
};

export function memoryTasks(now: Date): Task[] {
  const today = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  return Array.from({ length: PAGE_SIZE }, (_, i) => {
    const status: TaskStatus = i % 2 === 0 ? "done" : i % 4 === 1 ? "todo" : "in_progress";
    const created = new Date(now.getTime() - (i + 1) * 3_600_000);
    // The oldest due dates come first on the default sort: about 17 tasks per due day.
    const dueDate = plusDays(today, Math.floor(i / 17));
    return {
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
      userId: memoryUser.id,
      title: TITLES[i % TITLES.length]!,
      notes: "",
      priority: PRIORITIES[i % 3]!,
      status,
      dueDate,
      dueTime: null,
      dueAt: dueMoment(dueDate, null, TIMEZONE),
      createdAt: created,
      updatedAt: created,
      completedAt: status === "done" ? created : null,
      remindersEnabled: true,
      rrule: null,
      repeatFrom: "due",
      occurrence: 1,
    };
  });
}

/** A model for one request; `now` is the request's, as the real route reads it from the clock. */
export function memoryModel(tasks: Task[], now: Date): ListModel {
  const filter = parseFilter(new URLSearchParams());
  return {
    filter,
    tasks,
    counts: { todo: 250, in_progress: 250, done: 500 },
    nav: { today: 40, upcoming: 120, noDate: 60 },
    nextCursor: cursorAfter(tasks[tasks.length - 1]!, filter.sort),
    ctx: itemContext(now, TIMEZONE, listUrl(filter)),
  };
}

function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
