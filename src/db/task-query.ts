import { taskPriority, type TaskPriority, type TaskStatus } from "./schema.js";

// What the task list query takes: its filter, its keyset position and the owner's day bounds.
// They live with the queries (src/db/tasks.ts), below the code that reads them from a URL
// (src/tasks/filters.ts, src/tasks/cursor.ts) and works them out (src/tasks/due.ts).

export const DUE_WINDOWS = ["overdue", "today", "week", "none"] as const;
export const SORTS = ["due", "priority", "created", "updated"] as const;
export type DueWindow = (typeof DUE_WINDOWS)[number];
export type SortKey = (typeof SORTS)[number];

export interface TaskFilter {
  statuses: TaskStatus[];
  priorities: TaskPriority[];
  due: DueWindow | null;
  q: string;
  sort: SortKey;
  /** With no status chosen the list shows open tasks; this adds the done ones ("Show done", `done=1`). */
  showDone?: boolean;
}

/**
 * The statuses a filter lists (null: every one). Nothing chosen means the open tasks, so finished
 * ones stay out of the way unless asked for; "Show done" adds them to whatever is chosen.
 */
export function statusesShown(filter: TaskFilter): TaskStatus[] | null {
  if (!filter.statuses.length) return filter.showDone ? null : ["todo", "in_progress"];
  return filter.showDone && !filter.statuses.includes("done") ? [...filter.statuses, "done"] : filter.statuses;
}

/**
 * A keyset cursor: the sort key of the last row shown plus its id, so the next page starts
 * strictly after it however many rows are added or removed in between (unlike OFFSET).
 */
export interface Cursor {
  /** due: the due moment (ms, or null for no date); created/updated: ms; priority: rank then due. */
  at: number | null;
  rank?: number;
  id: string;
}

export interface DueWindows {
  now: Date;
  todayStart: Date;
  todayEnd: Date;
  /** End of the seventh day after today: the "next 7 days" filter runs up to here. */
  weekEnd: Date;
}

// The enum's declaration order is the rank order (ORDER BY priority sorts by it).
const RANKS = taskPriority.enumValues;
export const MAX_PRIORITY_RANK = RANKS.length - 1;
export function priorityRank(p: TaskPriority): number {
  return RANKS.indexOf(p);
}
export function priorityAtRank(rank: number): TaskPriority {
  return RANKS[rank] ?? "medium";
}
