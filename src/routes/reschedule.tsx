import { Hono, type Context } from "hono";
import { ownTask, taskIdParam, taskNotFound } from "../loaders/own-task.js";
import { html } from "hono/html";
import { rescheduleTask } from "../db/task-views.js";
import type { HonoEnv, SignedInEnv } from "../deps.js";
import { field } from "../form-fields.js";
import { readForm } from "../http/form.js";
import { returnPath, wantsFragment } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { bounds, stillShown } from "../loaders/planning-views.js";
import { currentListFilter, itemContext, listUrl, taskView } from "../loaders/task-list.js";
import { describeDue } from "../tasks/format.js";
import { nextMonday, rescheduleTarget } from "../tasks/planning.js";
import { ReschedulePage } from "../views/reschedule.js";
import { TaskItem } from "../views/task-item.js";
import { countsOob } from "../loaders/row-counts.js";
import { redrawIfUpcoming } from "./planning-views.js";

// Reschedule in one click (issue #13): POST /tasks/:id/reschedule with `to` = today, tomorrow,
// next_week (next Monday) or a YYYY-MM-DD date; GET /tasks/:id/reschedule is its page without
// JavaScript. Signed-in only: put requireUser on each route (not .use on this sub-app: mounted at
// "/tasks" before the task routes, its middleware would run for each of theirs too).
export const rescheduleRoutes = new Hono<HonoEnv>();

/** Where a move returns without a `back` or a Referer of ours. */
const FALLBACK = "/today";

rescheduleRoutes.get("/:id/reschedule", requireUser, async (c) => {
  const task = await ownTask(c);
  // Back to the list the Move link was on (its Referer), where the plain post returns too.
  const back = returnPath(c, c.req.query("back"), FALLBACK);
  return movePage(c, task, back);
});

rescheduleRoutes.post("/:id/reschedule", requireUser, async (c) => {
  const id = taskIdParam(c);
  const user = c.var.user;
  const body = await readForm(c.req.raw);
  const to = field(body, "to").trim();
  const back = returnPath(c, field(body, "back"), FALLBACK);
  const b = bounds(c);
  const target = rescheduleTarget(to, b.today);
  if (!target.ok) {
    // Someone else's id is a 404 even with a bad date: only the owner's task is shown again.
    const task = await ownTask(c);
    if (!wantsFragment(c)) return movePage(c, task, back, { date: to, error: target.error }, 422);
    // htmx: the message goes into the Move menu, which stays open; the row is left as it was.
    c.header("HX-Retarget", "#move-error");
    c.header("HX-Reswap", "innerHTML");
    return c.html(html`${target.error}`, 422);
  }
  const task = await rescheduleTask(c.var.db, user.id, id, target.date, user.timezone, b.now);
  if (!task) throw taskNotFound();
  console.log(JSON.stringify({ event: "task.rescheduled", userId: user.id, to: to.length === 10 ? "date" : to }));
  if (!wantsFragment(c)) return c.redirect(back, 303);

  // htmx: the row swapped in place, or removed when the view it is on no longer holds it. Upcoming
  // is drawn again instead, since the row moves under another day's heading.
  const shown = stillShown(c, task, { keepDone: true });
  // What a screen reader hears, whichever way the answer is swapped in (the Move menu or t / m).
  const said = <Announce words={`“${task.title}” moved to ${target.words}.`} />;
  const redrawn = await redrawIfUpcoming(c, shown, { extra: said });
  if (redrawn) return redrawn;
  const ctx = itemContext(b.now, user.timezone, listUrl(currentListFilter(c)));
  // htmx swaps nothing for an answer of out-of-band elements alone: the row is deleted instead.
  if (!shown) c.header("HX-Reswap", "delete");
  return c.html(
    <>
      {shown ? <TaskItem task={taskView(task)} ctx={ctx} /> : null}
      {await countsOob(c)}
      {said}
    </>,
  );
});

/** The words put into the layout's live region (#announcer), out of band. */
function Announce(props: { words: string }) {
  return (
    <div id="announcer" hx-swap-oob="innerHTML">
      {props.words}
    </div>
  );
}

function movePage(
  c: Context<SignedInEnv>,
  task: { id: string; title: string; dueDate: string | null; dueTime: string | null; dueAt: Date | null; status: string },
  back: string,
  typed: { date?: string; error?: string } = {},
  status: 200 | 422 = 200,
) {
  const b = bounds(c);
  const due =
    task.dueDate && task.dueAt
      ? describeDue({ dueDate: task.dueDate, dueTime: task.dueTime, dueAt: task.dueAt, done: task.status === "done" }, b.now, c.var.user.timezone).absolute
      : "no date";
  c.status(status);
  return c.render(<ReschedulePage task={task} due={due} back={back} nextMonday={nextMonday(b.today)} date={typed.date} error={typed.error} />, {
    title: `Move ${task.title}`,
  });
}

