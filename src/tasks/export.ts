import Papa from "papaparse";
import type { Task, User } from "../db/schema.js";
import type { ReminderRecord } from "../db/task-transfer.js";
import { localDate } from "./due.js";

// What an export file holds, written piece by piece: the caller feeds pages of tasks (and of
// reminder history) and sends each piece as it comes, so no export is ever whole in memory.

export const EXPORT_FORMAT = "smarttask-export";
export const EXPORT_VERSION = 1;

/** The CSV's columns, in order; the import reads the same names. */
export const CSV_COLUMNS = ["title", "notes", "priority", "status", "due_date", "due_time", "reminders", "created_at", "completed_at", "repeat", "repeat_from"] as const;

/**
 * Cells a spreadsheet would read as a formula (= + - @, and tab or CR, which some treat alike) get
 * a leading apostrophe, the OWASP guard; so do cells that already start with apostrophes before
 * such a character, so that the import can take exactly one apostrophe off (unguardCell) and give
 * back what was written, whatever it was. papaparse's own pattern (`.*$` without the s flag) lets
 * a multi-line cell through, hence this one.
 */
export const FORMULA_START = /^'*[=+\-@\t\r]/;

/** The file name a download is saved under: the app's name and the user's local date. */
export function exportFileName(now: Date, timezone: string, extension: "json" | "csv"): string {
  return `smarttask-${localDate(now, timezone)}.${extension}`;
}

/** One task as the JSON export writes it: every field its owner set, ISO 8601 instants. */
export function taskRecord(task: Task) {
  return {
    id: task.id,
    title: task.title,
    notes: task.notes,
    priority: task.priority,
    status: task.status,
    dueDate: task.dueDate,
    dueTime: hhmm(task.dueTime),
    // The exact moment, for other programs; an import works it out again from date, time and zone.
    dueAt: task.dueAt?.toISOString() ?? null,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
    completedAt: task.completedAt?.toISOString() ?? null,
    remindersEnabled: task.remindersEnabled,
    // The RRULE value as stored (RFC 5545, read on the owner's local dates), so a calendar can take it as it is.
    repeat: task.rrule,
    repeatFrom: task.repeatFrom,
  };
}

export function reminderRecord(r: ReminderRecord) {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    subject: r.subject,
    localDate: r.localDate,
    queuedAt: r.queuedAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    taskIds: r.taskIds,
  };
}

/**
 * The JSON export, piece by piece: the head with the user's details, then each page of tasks and
 * of reminder history as it is read. Never the password hash, sessions or tokens: only the user
 * fields named here go out.
 */
export async function* jsonExport(
  user: User,
  now: Date,
  taskPages: AsyncIterable<Task[]>,
  historyPages: AsyncIterable<ReminderRecord[]>,
): AsyncGenerator<string> {
  const head = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    user: {
      name: user.name,
      email: user.email,
      timezone: user.timezone,
      reminders: {
        enabled: user.remindersEnabled,
        hour: user.reminderHour,
        leadDays: user.leadDays,
        overdue: user.overdueReminders,
        delivery: user.reminderDelivery,
        pausedReason: user.remindersPausedReason,
      },
    },
  };
  // The head's closing brace is left off so that the two lists follow inside the same object.
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "tasks": [`;
  yield* jsonList(taskPages, taskRecord);
  yield `],\n  "reminderHistory": [`;
  yield* jsonList(historyPages, reminderRecord);
  yield "]\n}\n";
}

async function* jsonList<T>(pages: AsyncIterable<T[]>, record: (item: T) => unknown): AsyncGenerator<string> {
  let first = true;
  for await (const page of pages) {
    if (!page.length) continue;
    yield (first ? "\n    " : ",\n    ") + page.map((item) => JSON.stringify(record(item))).join(",\n    ");
    first = false;
  }
  if (!first) yield "\n  ";
}

/**
 * The CSV export: a header row, then one row per task; RFC 4180 quoting and CRLF line ends
 * (papaparse), ISO 8601 dates and instants, formula cells guarded. It opens with a UTF-8 byte
 * order mark, without which spreadsheet programs read accented letters as Latin-1.
 */
export async function* csvExport(taskPages: AsyncIterable<Task[]>): AsyncGenerator<string> {
  yield `\uFEFF${csvLines([[...CSV_COLUMNS]])}`;
  for await (const page of taskPages) if (page.length) yield csvLines(page.map(csvRow));
}

function csvRow(task: Task): string[] {
  return [
    task.title,
    task.notes,
    task.priority,
    task.status,
    task.dueDate ?? "",
    hhmm(task.dueTime) ?? "",
    task.remindersEnabled ? "on" : "off",
    task.createdAt.toISOString(),
    task.completedAt?.toISOString() ?? "",
    task.rrule ?? "",
    task.rrule ? task.repeatFrom : "",
  ];
}

/** Rows as CSV lines, each ending in CRLF. */
function csvLines(rows: string[][]): string {
  return `${Papa.unparse(rows, { newline: "\r\n", escapeFormulae: FORMULA_START })}\r\n`;
}

/** What the export wrote for a cell, back to what it was: one guarding apostrophe off. */
export function unguardCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

// PostgreSQL's time type reads back as HH:MM:SS; the form (and the export) say HH:MM.
function hhmm(time: string | null): string | null {
  return time ? time.slice(0, 5) : null;
}
