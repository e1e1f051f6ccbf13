import Papa from "papaparse";
import type { ImportedTask } from "../db/task-transfer.js";
import { CSV_COLUMNS, EXPORT_FORMAT, EXPORT_VERSION, unguardCell } from "./export.js";
import { validateTask, type TaskForm } from "./task-input.js";
import { noRepeat, type RepeatFields } from "../recurrence/form.js";

// Reading an import file: JSON or CSV, told apart by what it holds (never by its name), each row
// checked with the task form's own rules (validateTask), so a row is accepted exactly when the
// same values typed into the form would be, and its due moment is worked out the same way.

/** The largest file an import takes (the request may be a little larger: multipart framing). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** The most rows one import takes. */
export const MAX_IMPORT_ROWS = 10_000;

/** A row that was refused: its number (the first task is 1; a CSV header is not counted) and why. */
export interface RefusedRow {
  row: number;
  problems: string[];
}

export type ImportRead =
  /** Not a file we can read as tasks at all. */
  | { kind: "unreadable"; message: string }
  | { kind: "too_many"; rows: number }
  | { kind: "refused"; format: Format; rows: number; refused: RefusedRow[] }
  | { kind: "ready"; format: Format; tasks: ImportedTask[] };

export type Format = "json" | "csv";

/** Reads and checks every row of a file for a user in `timezone`; instants the file lacks become `now`. */
export function readImport(bytes: Uint8Array, timezone: string, now: Date): ImportRead {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return unreadable("This file is not text (UTF-8), so it is neither a CSV nor a JSON file. Export your tasks again, or save the spreadsheet as CSV UTF-8.");
  }
  const start = text.trimStart()[0];
  if (start === undefined) return unreadable("This file is empty.");
  const rows = start === "{" || start === "[" ? jsonRows(text) : csvRows(text);
  if ("message" in rows) return rows;
  if (rows.rows.length > MAX_IMPORT_ROWS) return { kind: "too_many", rows: rows.rows.length };

  const tasks: ImportedTask[] = [];
  const refused: RefusedRow[] = [];
  rows.rows.forEach((row, i) => {
    const problems = [...(rows.problems.get(i) ?? [])];
    const task = problems.length ? null : taskFrom(row, rows.names, timezone, now, problems);
    if (task) tasks.push(task);
    else refused.push({ row: i + 1, problems });
  });
  if (refused.length) return { kind: "refused", format: rows.format, rows: rows.rows.length, refused };
  return { kind: "ready", format: rows.format, tasks };
}

/** A row as plain text values, under the form's names; undefined where the file has nothing. */
type RawRow = Partial<Record<Field, string>>;
type Field = Exclude<keyof TaskForm, keyof RepeatFields> | "repeat" | "repeat_from" | "created_at" | "updated_at" | "completed_at";
/** How the file itself names each field, for the messages. */
type Names = Record<Field, string>;

interface Rows {
  format: Format;
  rows: RawRow[];
  names: Names;
  /** Problems found while reading (a wrong type, a broken row), by row index. */
  problems: Map<number, string[]>;
}

const CSV_NAMES: Names = { ...Object.fromEntries(CSV_COLUMNS.map((c) => [c, c])), updated_at: "updated_at" } as Names;
const JSON_NAMES: Names = {
  title: "title",
  notes: "notes",
  priority: "priority",
  status: "status",
  due_date: "dueDate",
  due_time: "dueTime",
  reminders: "remindersEnabled",
  created_at: "createdAt",
  updated_at: "updatedAt",
  completed_at: "completedAt",
  repeat: "repeat",
  repeat_from: "repeatFrom",
};

function jsonRows(text: string): Rows | { kind: "unreadable"; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return unreadable("This file starts like JSON but is not valid JSON. Export your tasks again and import that file unchanged.");
  }
  let list: unknown;
  if (Array.isArray(data)) list = data;
  else if (isObject(data) && data.format === EXPORT_FORMAT) {
    if (data.version !== EXPORT_VERSION) return unreadable(`This export is version ${String(data.version)}; this SmartTask reads version ${EXPORT_VERSION}.`);
    list = data.tasks;
  } else return unreadable(`This JSON file is not a SmartTask export (it has no "format": "${EXPORT_FORMAT}").`);
  if (!Array.isArray(list)) return unreadable('This export has no list of tasks ("tasks").');

  const problems = new Map<number, string[]>();
  const rows = list.map((item: unknown, i): RawRow => {
    if (!isObject(item)) {
      problems.set(i, ["This entry is not a task (an object with a title)."]);
      return {};
    }
    const row: RawRow = {};
    const wrong: string[] = [];
    for (const [field, key] of Object.entries(JSON_NAMES) as [Field, string][]) {
      const value = item[key];
      if (value === undefined || value === null) continue;
      if (field === "reminders") {
        if (typeof value === "boolean") row.reminders = value ? "on" : "off";
        else wrong.push(`${key}: use true or false.`);
      } else if (typeof value === "string") row[field] = value;
      else wrong.push(`${key}: use text (in quotes).`);
    }
    if (wrong.length) problems.set(i, wrong);
    return row;
  });
  return { format: "json", rows, names: JSON_NAMES, problems };
}

function csvRows(text: string): Rows | { kind: "unreadable"; message: string } {
  const parsed = Papa.parse<Record<string, string | undefined>>(text.replace(/^\uFEFF/, ""), {
    header: true,
    // Greedy: rows of nothing but empty cells (a spreadsheet's trailing lines) are not tasks.
    skipEmptyLines: "greedy",
    // Spreadsheets in many languages save with semicolons (or tabs) between cells.
    delimitersToGuess: [",", ";", "\t"],
    transformHeader: (name) => name.trim().toLowerCase(),
  });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes("title"))
    return unreadable("This file is neither a SmartTask JSON export nor a CSV file whose first row names its columns (with a title column).");
  // A broken quote throws every later cell out of place: no row after it can be trusted.
  const quote = parsed.errors.find((e) => e.type === "Quotes");
  if (quote) return unreadable(`The CSV's quoting is broken on line ${lineOf(text, quote.index)}: a quoted cell is not closed, or has a stray quote.`);

  const problems = new Map<number, string[]>();
  for (const e of parsed.errors) {
    if (e.type !== "FieldMismatch" || e.row === undefined) continue;
    problems.set(e.row, [e.code === "TooFewFields" ? "This row has fewer cells than the header row." : "This row has more cells than the header row."]);
  }
  const known = new Set<string>(Object.keys(CSV_NAMES));
  const rows = parsed.data.map((record): RawRow => {
    const row: RawRow = {};
    for (const name of fields) {
      const value = record[name];
      if (known.has(name) && typeof value === "string") row[name as Field] = unguardCell(value);
    }
    return row;
  });
  return { format: "csv", rows, names: CSV_NAMES, problems };
}

/** One row to a task through the form's rules; null (with `problems` filled) when refused. */
function taskFrom(row: RawRow, names: Names, timezone: string, now: Date, problems: string[]): ImportedTask | null {
  const reminders = readReminders(row.reminders);
  if (reminders === null) problems.push(`${names.reminders}: use on or off.`);
  const form: TaskForm = {
    title: row.title ?? "",
    notes: row.notes ?? "",
    // Empty means the form's default, as a form post without the field does.
    priority: row.priority?.trim().toLowerCase() || "medium",
    status: row.status?.trim().toLowerCase() || "todo",
    due_date: row.due_date?.trim() ?? "",
    // Seconds of zero (a spreadsheet's 09:30:00) say the same as 09:30.
    due_time: row.due_time?.trim().replace(/^(\d{2}:\d{2}):00$/, "$1") ?? "",
    reminders: reminders ?? "",
    ...repeatOf(row, names, problems),
  };
  const result = validateTask(form, timezone);
  if (!result.ok) for (const [field, message] of Object.entries(result.errors)) problems.push(`${names[field as Field]}: ${message}`);

  const instant = (field: "created_at" | "updated_at" | "completed_at") => {
    const at = readInstant(row[field]);
    if (at === false) problems.push(`${names[field]}: use an ISO 8601 date and time with its offset, like 2026-06-15T09:30:00Z.`);
    return at || null;
  };
  const createdAt = instant("created_at");
  const updatedAt = instant("updated_at");
  const completedAt = instant("completed_at");
  if (!result.ok || problems.length) return null;

  const values = result.values;
  return {
    ...values,
    remindersEnabled: values.remindersEnabled ?? true,
    createdAt: createdAt ?? now,
    updatedAt: updatedAt ?? now,
    // A finished task keeps when it was finished; only a done task has a completion (the table's rule).
    completedAt: values.status === "done" ? (completedAt ?? now) : null,
  };
}

/**
 * A file's repetition (the RRULE value an export writes, and due or completion) as the task form's
 * "custom" rule, so it passes the same checks as a rule kept through the edit form.
 */
function repeatOf(row: RawRow, names: Names, problems: string[]): Partial<RepeatFields> {
  const rule = row.repeat?.trim().toUpperCase() ?? "";
  const from = row.repeat_from?.trim().toLowerCase() ?? "";
  if (from !== "" && from !== "due" && from !== "completion") problems.push(`${names.repeat_from}: use due or completion.`);
  if (rule === "") return { ...noRepeat() };
  return { ...noRepeat(), repeat: "custom", repeat_rule: rule, repeat_from: from || "due" };
}

/** "on" or "off" (the form's words, also true/false, yes/no, 1/0); "" for nothing given; null when unreadable. */
function readReminders(value: string | undefined): "on" | "off" | "" | null {
  const word = value?.trim().toLowerCase() ?? "";
  if (word === "") return "";
  if (["on", "true", "yes", "1"].includes(word)) return "on";
  if (["off", "false", "no", "0"].includes(word)) return "off";
  return null;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 instant (with Z or an offset) within the years the form's dates allow; null for empty, false for unreadable. */
function readInstant(value: string | undefined): Date | null | false {
  const text = value?.trim() ?? "";
  if (text === "") return null;
  if (!INSTANT.test(text)) return false;
  const at = new Date(text);
  const year = at.getUTCFullYear();
  return Number.isNaN(at.getTime()) || year < 1900 || year > 9998 ? false : at;
}

function lineOf(text: string, index: number | undefined): number {
  const upTo = text.slice(0, index ?? 0);
  return upTo.split(/\r\n|\r|\n/).length;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unreadable(message: string) {
  return { kind: "unreadable" as const, message };
}
