import type { CompletionHistoryRow } from "../db/reminder-history.js";
import type { Task } from "../db/schema.js";
import { movedWords } from "../views/recurrence.js";
import type { RepeatPanel } from "../views/task-page.js";

/**
 * The task page's repeating part: its completed occurrences (only the latest can be undone, and
 * only while the task is as that completion left it: undoCompletion's rule, src/db/completions.ts),
 * and the notice after a completion made on this page (`?completed=<id>`, named by the redirect).
 * Undefined for a task that neither repeats nor ever did.
 */
export function repeatPanel(task: Task, completions: CompletionHistoryRow[], completed: string | undefined): RepeatPanel | undefined {
  if (!task.rrule && !completions.length) return undefined;
  const latest = completions[0];
  const undoable = latest !== undefined && task.status !== "done" && task.updatedAt.getTime() === latest.completedAt.getTime();
  const views = completions.map((c, i) => ({ id: c.id, dueDate: c.dueDate, completedAt: c.completedAt, undoable: i === 0 && undoable }));
  const notice = undoable && completed === latest.id ? { words: movedWords("completed", task.title, task.dueDate), completionId: latest.id } : null;
  return { notice, completions: views };
}
