import { taskPriority, taskStatus } from "../db/schema.js";
import { DUE_WINDOWS, SORTS, type TaskFilter } from "../db/task-query.js";


const MAX_QUERY = 200;

/**
 * Reads the list filters from a query string. Unknown or malformed values are dropped,
 * never rejected: a stale bookmark or a hand-edited link still shows a list.
 */
export function parseFilter(params: URLSearchParams): TaskFilter {
  const pick = <T extends string>(values: readonly T[], raw: string[]) =>
    values.filter((v) => raw.includes(v));
  const one = <T extends string>(values: readonly T[], raw: string | null) =>
    values.find((v) => v === raw) ?? null;
  return {
    statuses: pick(taskStatus.enumValues, params.getAll("status")),
    priorities: pick(taskPriority.enumValues, params.getAll("priority")),
    due: one(DUE_WINDOWS, params.get("due")),
    q: cleanQuery(params.get("q") ?? ""),
    sort: one(SORTS, params.get("sort")) ?? "due",
    showDone: params.get("done") === "1",
  };
}

function cleanQuery(raw: string): string {
  // Control characters cannot match anything a user typed into a task; drop them.
  return raw.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, MAX_QUERY);
}

/** The canonical query string for a filter, so links, pushed URLs and "load more" agree. */
export function filterQuery(filter: TaskFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const s of filter.statuses) params.append("status", s);
  for (const p of filter.priorities) params.append("priority", p);
  if (filter.due) params.set("due", filter.due);
  if (filter.q) params.set("q", filter.q);
  if (filter.sort !== "due") params.set("sort", filter.sort);
  if (filter.showDone) params.set("done", "1");
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isFiltered(filter: TaskFilter): boolean {
  return filter.statuses.length + filter.priorities.length > 0 || filter.due !== null || filter.q !== "" || Boolean(filter.showDone);
}
