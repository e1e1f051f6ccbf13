import type { Task } from "../db/schema.js";
import type { SortKey } from "./filters.js";

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

export function cursorAfter(task: Task, sort: SortKey): string {
  const cursor: Cursor =
    sort === "created"
      ? { at: task.createdAt.getTime(), id: task.id }
      : sort === "updated"
        ? { at: task.updatedAt.getTime(), id: task.id }
        : { at: task.dueAt?.getTime() ?? null, id: task.id, ...(sort === "priority" ? { rank: priorityRank(task.priority) } : {}) };
  return btoa(JSON.stringify(cursor)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes a cursor from the URL; anything malformed means "start from the top". */
export function parseCursor(raw: string | null, sort: SortKey): Cursor | null {
  if (!raw || raw.length > 300) return null;
  try {
    const value: unknown = JSON.parse(atob(raw.replace(/-/g, "+").replace(/_/g, "/")));
    if (typeof value !== "object" || value === null) return null;
    const { at, rank, id } = value as Record<string, unknown>;
    if (typeof id !== "string" || !UUID.test(id)) return null;
    // Only instants the database can take back: a wild number would otherwise fail the query.
    if (!(at === null || (typeof at === "number" && at >= MIN_AT && at <= MAX_AT))) return null;
    if ((sort === "created" || sort === "updated") && at === null) return null;
    if (sort === "priority" && !(typeof rank === "number" && Number.isInteger(rank) && rank >= 0 && rank <= 3)) return null;
    return { at, id, ...(typeof rank === "number" ? { rank } : {}) };
  } catch {
    return null;
  }
}

const MIN_AT = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_AT = Date.parse("9999-12-31T23:59:59.999Z");

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RANKS = ["low", "medium", "high", "urgent"] as const;
export function priorityRank(p: Task["priority"]): number {
  return RANKS.indexOf(p);
}
export function priorityAtRank(rank: number): Task["priority"] {
  return RANKS[rank] ?? "medium";
}
