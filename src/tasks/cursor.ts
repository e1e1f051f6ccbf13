import type { Task } from "../db/schema.js";
import { fromBase64Url, textToBase64Url } from "../bytes.js";
import { UUID } from "../ids.js";
import { MAX_PRIORITY_RANK, priorityRank, type Cursor, type SortKey } from "../db/task-query.js";


export function cursorAfter(task: Task, sort: SortKey): string {
  const cursor: Cursor =
    sort === "created"
      ? { at: task.createdAt.getTime(), id: task.id }
      : sort === "updated"
        ? { at: task.updatedAt.getTime(), id: task.id }
        : { at: task.dueAt?.getTime() ?? null, id: task.id, ...(sort === "priority" ? { rank: priorityRank(task.priority) } : {}) };
  return textToBase64Url(JSON.stringify(cursor));
}

/** Decodes a cursor from the URL; anything malformed means "start from the top". */
export function parseCursor(raw: string | null, sort: SortKey): Cursor | null {
  if (!raw || raw.length > 300) return null;
  try {
    const bytes = fromBase64Url(raw);
    if (!bytes) return null;
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value !== "object" || value === null) return null;
    const { at, rank, id } = value as Record<string, unknown>;
    if (typeof id !== "string" || !UUID.test(id)) return null;
    // Only instants the database can take back: a wild number would otherwise fail the query.
    if (!(at === null || (typeof at === "number" && at >= MIN_AT && at <= MAX_AT))) return null;
    if ((sort === "created" || sort === "updated") && at === null) return null;
    if (sort === "priority" && !(typeof rank === "number" && Number.isInteger(rank) && rank >= 0 && rank <= MAX_PRIORITY_RANK)) return null;
    return { at, id, ...(typeof rank === "number" ? { rank } : {}) };
  } catch {
    return null;
  }
}

const MIN_AT = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_AT = Date.parse("9999-12-31T23:59:59.999Z");

