import { Hono, type Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { undoCompletion } from "../db/completions.js";
import type { Task } from "../db/schema.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { field } from "../form-fields.js";
import { readForm } from "../http/form.js";
import { pageOrFragment, returnPath, wantsFragment } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { UUID } from "../ids.js";
import { countsAfterSql, CountsAfterOob } from "../loaders/row-counts.js";
import { currentView, stillShown } from "../loaders/planning-views.js";
import { currentListFilter, itemContext, listUrl, taskView } from "../loaders/task-list.js";
import { formatDate } from "../tasks/format.js";
import { MessagePage } from "../views/message-page.js";
import { CompletionNotice, movedWords, UndoNotice } from "../views/recurrence.js";
import { TaskItem } from "../views/task-item.js";
import { redrawIfUpcoming } from "./planning-views.js";

// Completed occurrences of repeating tasks (issue #13): POST /completions/:id/undo puts the task
// back to that occurrence. Also the answers of completing or skipping an occurrence
// (POST /tasks/:id/complete and /skip, src/routes/tasks.tsx).

export const completionRoutes = new Hono<HonoEnv>().use(requireUser);

completionRoutes.post("/:id/undo", async (c) => {
  const id = c.req.param("id");
  if (!UUID.test(id)) throw notFound();
  const back = returnPath(c, field(await readForm(c.req.raw), "next"));
  const fragment = wantsFragment(c);
  const result = await undoCompletion(c.var.db, c.var.user.id, id.toLowerCase(), c.var.deps.clock.now(), fragment ? countsAfterSql(c) : undefined);
  if (result.kind === "not-found") throw notFound();
  if (result.kind === "moved-on") {
    const words = `“${result.task.title}” has changed since it was completed (completed, skipped or edited again), so that completion cannot be undone. Edit the task to change its due date.`;
    return pageOrFragment(c, { title: "Cannot undo", page: () => <MessagePage heading="Cannot undo" message={words} />, fragment: () => <UndoNotice words={words} alert /> }, 409);
  }
  if (!fragment) return c.redirect(back, 303);
  const task = result.task;
  const words = `“${task.title}” is open again, due ${formatDate(task.dueDate!)}.`;
  // The answer takes the place of the notice whose Undo was clicked: the task's row (when it
  // belongs in this view; its old row, wherever the page shows it, goes) and a line saying so.
  const shown = currentView(c) !== "/done" && (!currentView(c) || stillShown(c, task, { keepDone: false }));
  const redrawn = await redrawIfUpcoming(c, shown, { notice: <UndoNotice words={words} /> });
  if (redrawn) return redrawn;
  const ctx = itemContext(c.var.deps.clock.now(), c.var.user.timezone, listUrl(currentListFilter(c)));
  return c.html(
    <>
      {/* htmx 4's envelope: the task's old row, wherever the page shows it, goes first. */}
      <hx-partial hx-target={`#task-${task.id}`} hx-swap="delete"></hx-partial>
      {shown ? <TaskItem task={taskView(task)} ctx={ctx} /> : null}
      <UndoNotice words={words} />
      <CountsAfterOob c={c} value={result.extra} />
    </>,
  );
});

/**
 * The answer to completing or skipping an occurrence of a repeating task. Without htmx, back to
 * where the form was (the task page shows the notice and its Undo through `?completed=`). With
 * htmx, the task's row as it is now (or nothing, when it left the view it was in), the notice
 * with Undo after it, and the counts; on Upcoming the days drawn again, the notice above them.
 */
export async function movedAnswer(c: Context<SignedInEnv>, moved: { task: Task; completionId: string | null; extra: unknown }, kind: "completed" | "skipped", back: string) {
  const { task, completionId } = moved;
  if (!wantsFragment(c)) {
    const onTaskPage = back === `/tasks/${task.id}`;
    return c.redirect(onTaskPage && completionId ? `${back}?completed=${completionId}` : back, 303);
  }
  const ctx = itemContext(c.var.deps.clock.now(), c.var.user.timezone, listUrl(currentListFilter(c)));
  const shown = !currentView(c) || stillShown(c, task, { keepDone: true });
  const words = movedWords(kind, task.title, task.status === "done" ? null : task.dueDate);
  const notice = <CompletionNotice words={words} completionId={completionId} as="li" title={task.title} />;
  // The last occurrence of a series leaves the task done: Upcoming lists open tasks only, so its
  // row stays in place, done, where it can be reopened.
  const redrawn = await redrawIfUpcoming(c, shown && task.status !== "done", { notice });
  if (redrawn) return redrawn;
  return c.html(
    <>
      {shown ? <TaskItem task={taskView(task)} ctx={ctx} /> : null}
      {notice}
      <CountsAfterOob c={c} value={moved.extra} />
    </>,
  );
}

function notFound() {
  return new HTTPException(404, { message: "There is no such completion. It may have been undone already." });
}
