import { Hono, type Context } from "hono";
import { ownTask, taskIdParam, taskNotFound } from "../loaders/own-task.js";
import { deleteTask, insertTask, setTaskStatus, updateTask } from "../db/tasks.js";
import type { Task, TaskStatus } from "../db/schema.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { pageOrFragment, redirectBrowser, renderFragment, returnPath, safeNext, wantsFragment } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { taskCapMessage } from "../tasks/task-cap.js";
import { parseCursor } from "../tasks/cursor.js";
import { parseFilter } from "../tasks/filters.js";
import { emptyTaskForm, taskFormFrom, taskFormOf, validateTask, type TaskErrors, type TaskForm } from "../tasks/task-input.js";
import { TaskFormView } from "../views/task-form.js";
import { TaskItem } from "../views/task-item.js";
import { TaskListPage, TaskResults, TaskRows } from "../views/task-list.js";
import { DeleteConfirmPage, TaskPage } from "../views/task-page.js";
import { TaskReminders } from "../views/task-reminders.js";
import { taskHistory } from "../db/reminder-history.js";
import { repeatPanel } from "../loaders/repeat-panel.js";
import { nextReminderFor } from "../reminders/slots.js";
import { currentView, stillShown } from "../loaders/planning-views.js";
import { completeTask, skipOccurrence } from "../recurrence/advance.js";
import { countsAfterSql, countsOob } from "../loaders/row-counts.js";
import { movedAnswer } from "./completions.js";
import { currentListFilter, fromListPage, itemContext, listUrl, loadList, loadRows, taskView } from "../loaders/task-list.js";

export const taskRoutes = new Hono<HonoEnv>().use(requireUser);

taskRoutes.get("/", async (c) => {
  const params = new URL(c.req.url).searchParams;
  const filter = parseFilter(params);
  const cursor = parseCursor(params.get("cursor"), filter.sort);
  // "Load more" under htmx asks for the next rows only; a filter change gets the whole results region.
  if (cursor && wantsFragment(c)) {
    const rows = await loadRows(c, filter, cursor);
    return renderFragment(c, <TaskRows tasks={rows.tasks} ctx={rows.ctx} filter={filter} nextCursor={rows.nextCursor} />);
  }
  const model = await loadList(c, filter, cursor);
  // The address bar shows the canonical form of the filter (no empty fields), so shared links stay short.
  if (!cursor && wantsFragment(c)) c.header("HX-Push-Url", model.ctx.back);
  return pageOrFragment(c, {
    title: "Tasks",
    nav: model.nav,
    page: () => <TaskListPage model={model} />,
    fragment: () => <TaskResults model={model} />,
  });
});

taskRoutes.post("/", async (c) => {
  const user = c.var.user;
  const body = await readForm(c.req.raw);
  const form = taskFormFrom(body);
  const back = safeNext(field(body, "next"));
  const result = validateTask(form, user.timezone);
  if (!result.ok) return formAgain(c, { title: "New task", form, errors: result.errors, back });
  const created = await insertTask(c.var.db, user.id, result.values, c.var.deps.clock.now());
  if (!created) return formAgain(c, { title: "New task", form, errors: { title: taskCapMessage() }, back });
  if (!wantsFragment(c)) return c.redirect(back, 303);
  // htmx: a fresh form in place of the one submitted, and the list re-read so the task shows where it sorts.
  const model = await loadList(c, currentListFilter(c), null);
  return c.html(
    <>
      <TaskFormView form={emptyTaskForm()} errors={{}} back={model.ctx.back} />
      <TaskResults model={model} oob />
    </>,
  );
});

taskRoutes.get("/:id", async (c) => {
  const task = await ownTask(c);
  const user = c.var.user;
  const ctx = itemContext(c.var.deps.clock.now(), user.timezone, listUrl(currentListFilter(c)));
  // The reminder history and completed occurrences are only on the full page; the fragment is the list row.
  const history = wantsFragment(c) ? { reminders: [], completions: [] } : await taskHistory(c.var.db, user.id, task.id);
  return pageOrFragment(c, {
    title: task.title,
    page: () => (
      <>
        <TaskPage task={taskView(task)} ctx={ctx} repeat={repeatPanel(task, history.completions, c.req.query("completed"))} />
        <TaskReminders next={nextReminderFor(task, user, ctx.clock.now)} digest={user.reminderDelivery === "digest"} timezone={user.timezone} history={history.reminders} occurrences={task.rrule !== null || history.completions.length > 0} />
      </>
    ),
    fragment: () => <TaskItem task={taskView(task)} ctx={ctx} />,
  });
});

taskRoutes.get("/:id/delete", async (c) => {
  const task = await ownTask(c);
  // After deleting, back to the list the user came from; "Keep it" shows the task instead.
  const back = returnPath(c, c.req.query("next"));
  return c.render(<DeleteConfirmPage task={taskView(task)} back={back} />, { title: `Delete ${task.title}` });
});

taskRoutes.get("/:id/edit", async (c) => {
  const task = await ownTask(c);
  const back = listUrl(currentListFilter(c));
  return pageOrFragment(c, {
    title: `Edit ${task.title}`,
    page: () => (
      <>
        <h1>Edit task</h1>
        <TaskFormView form={taskFormOf(task)} errors={{}} taskId={task.id} back={`/tasks/${task.id}`} />
      </>
    ),
    fragment: () => <TaskFormView form={taskFormOf(task)} errors={{}} taskId={task.id} back={back} inline />,
  });
});

async function update(c: Context<SignedInEnv>) {
  const id = taskIdParam(c);
  const user = c.var.user;
  const body = await readForm(c.req.raw);
  const form = taskFormFrom(body);
  const back = safeNext(field(body, "next"), `/tasks/${id}`);
  const result = validateTask(form, user.timezone);
  if (!result.ok) {
    // Only the owner's task may be shown again; someone else's id is a 404 even with bad input.
    await ownTask(c);
    return formAgain(c, { title: "Edit task", form, errors: result.errors, back, taskId: id });
  }
  const task = await updateTask(c.var.db, user.id, id, result.values, c.var.deps.clock.now());
  if (!task) throw taskNotFound();
  return rowOrRedirect(c, task, back);
}
taskRoutes.post("/:id", update);
taskRoutes.patch("/:id", update);

async function remove(c: Context<SignedInEnv>) {
  const id = taskIdParam(c);
  const back = returnPath(c, field(await readForm(c.req.raw), "next"));
  if (!(await deleteTask(c.var.db, c.var.user.id, id))) throw taskNotFound();
  // From the task's own page there is no row to remove: htmx follows HX-Redirect to the list.
  if (!wantsFragment(c) || !fromListPage(c)) return redirectBrowser(c, back);
  // The row is removed by hx-swap="delete"; the counts beside the list are refreshed out of band.
  return c.html(await countsOob(c));
}
taskRoutes.post("/:id/delete", remove);
taskRoutes.delete("/:id", remove);

const changeStatus = (status: TaskStatus) => async (c: Context<SignedInEnv>) => {
  const id = taskIdParam(c);
  const back = returnPath(c, field(await readForm(c.req.raw), "next"));
  const task = await setTaskStatus(c.var.db, c.var.user.id, id, status, c.var.deps.clock.now());
  if (!task) throw taskNotFound();
  return rowOrRedirect(c, task, back);
};
// Completing a repeating task records the occurrence and moves the task to its next one
// (src/recurrence/advance.ts); a one-off is done as before. "Skip" moves on without recording.
taskRoutes.post("/:id/complete", async (c) => {
  const id = taskIdParam(c);
  const body = await readForm(c.req.raw);
  const back = returnPath(c, field(body, "next"));
  const extra = wantsFragment(c) ? countsAfterSql(c) : undefined;
  // A stale page's click leaves a later occurrence alone and answers with the task as it is now.
  const result = await completeTask(c.var.db, c.var.user, id, c.var.deps.clock.now(), extra, occurrenceField(body));
  if (!result) throw taskNotFound();
  return result.moved ? movedAnswer(c, result, "completed", back) : rowOrRedirect(c, result.task, back);
});
taskRoutes.post("/:id/skip", async (c) => {
  const id = taskIdParam(c);
  const body = await readForm(c.req.raw);
  const back = returnPath(c, field(body, "next"));
  const extra = wantsFragment(c) ? countsAfterSql(c) : undefined;
  const result = await skipOccurrence(c.var.db, c.var.user, id, c.var.deps.clock.now(), extra, occurrenceField(body));
  if (!result) throw taskNotFound();
  return result.moved ? movedAnswer(c, result, "skipped", back) : rowOrRedirect(c, result.task, back);
});
taskRoutes.post("/:id/reopen", changeStatus("todo"));

/** The occurrence a repeating task's form was showing, when it says (an unreadable value counts as not said). */
function occurrenceField(body: Awaited<ReturnType<typeof readForm>>): number | undefined {
  const text = field(body, "occurrence");
  return /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

async function rowOrRedirect(c: Context<SignedInEnv>, task: Task, back: string) {
  if (!wantsFragment(c)) return c.redirect(back, 303);
  const ctx = itemContext(c.var.deps.clock.now(), c.var.user.timezone, listUrl(currentListFilter(c)));
  // In a planning view a row that no longer belongs there (reopened in Done, moved out of Today by
  // an edit) is removed: an empty answer swapped over it.
  const shown = !currentView(c) || stillShown(c, task, { keepDone: true });
  // htmx swaps nothing for an answer of out-of-band elements alone: the row is deleted instead.
  if (!shown) c.header("HX-Reswap", "delete");
  return c.html(
    <>
      {shown ? <TaskItem task={taskView(task)} ctx={ctx} /> : null}
      {await countsOob(c)}
    </>,
  );
}

/**
 * A form that did not validate, shown again with its messages (422): on its page, or in place
 * for htmx (inline when editing a row, since the list row is what htmx swapped it into).
 */
function formAgain(c: Context<SignedInEnv>, view: { title: string; form: TaskForm; errors: TaskErrors; back: string; taskId?: string }) {
  const { title, form, errors, back, taskId } = view;
  return pageOrFragment(
    c,
    {
      title,
      page: () => (
        <>
          <h1>{title}</h1>
          <TaskFormView form={form} errors={errors} taskId={taskId} back={back} />
        </>
      ),
      fragment: () => <TaskFormView form={form} errors={errors} taskId={taskId} back={back} inline={taskId !== undefined} />,
    },
    422,
  );
}

