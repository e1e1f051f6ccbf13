import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { DoneEntry, NavCounts } from "../db/task-views.js";
import { formatDate } from "../tasks/format.js";
import { dayHeading, emptyDaysText, UPCOMING_DAYS, type UpcomingGroup } from "../tasks/planning.js";
import { addDays } from "../tasks/due.js";
import type { TaskView } from "./models.js";
import { QuickAddForm } from "./quick-add.js";
import { SharedMoveMenu } from "./reschedule.js";
import { ROW_HTMX, TaskItems, type ItemContext } from "./task-item.js";

// Today, Upcoming, No date and Done (issue #13). Each page is its heading, quick add and the view's
// results region (#view-results); an htmx request for the view gets that region alone, with the
// navigation's counts out of band. Rows are the list's own (TaskItems), so every row action works here.

export interface TodayModel {
  today: string;
  overdue: TaskView[];
  dueToday: TaskView[];
  /** More open tasks are due by tonight than Today shows (TODAY_LIMIT). */
  more: boolean;
  nav: NavCounts;
  ctx: ItemContext;
}

export interface UpcomingModel {
  today: string;
  lastDay: string;
  /** The 14 days, empty runs folded; null on a "load more" page of Later. */
  groups: UpcomingGroup<TaskView>[] | null;
  /** More tasks fall in the 14 days than Upcoming shows (UPCOMING_LIMIT). */
  daysCut: boolean;
  later: TaskView[];
  laterNext: string | null;
  nav: NavCounts;
  ctx: ItemContext;
}

export interface NoDateModel {
  tasks: TaskView[];
  nextCursor: string | null;
  nav: NavCounts;
  ctx: ItemContext;
}

export interface DoneModel {
  entries: DoneEntry[];
  nextCursor: string | null;
  nav: NavCounts;
  timezone: string;
}

function Rows(props: { tasks: TaskView[]; ctx: ItemContext }) {
  return (
    <ul class="tasks" {...ROW_HTMX}>
      <TaskItems tasks={props.tasks} ctx={props.ctx} />
    </ul>
  );
}

/** The "load more" row: the next page is this list's rows again, swapped over it. */
function MoreRow(props: { url: string | null }) {
  return props.url ? (
    <li class="more">
      <a class="button" href={props.url} hx-get={props.url} hx-target="closest li" hx-swap="outerHTML">
        Load more
      </a>
    </li>
  ) : null;
}

function Results(props: { label: string; children: unknown }) {
  return (
    // tabindex: where app.js puts focus when a swap removed the control that held it.
    <section id="view-results" class="view-results" aria-label={props.label} tabindex={-1}>
      {props.children}
    </section>
  );
}

export function TodayPage(props: { model: TodayModel }) {
  return (
    <>
      <h1>
        Today <span class="view-date">{dayHeading(props.model.today)}</span>
      </h1>
      <QuickAddForm back="/today" />
      <TodayResults model={props.model} />
      <SharedMoveMenu />
    </>
  );
}

export function TodayResults(props: { model: TodayModel }) {
  const { overdue, dueToday, ctx, more } = props.model;
  return (
    <Results label="Due today">
      {overdue.length ? (
        <>
          <h2 class="group overdue">Overdue</h2>
          <Rows tasks={overdue} ctx={ctx} />
        </>
      ) : null}
      {dueToday.length ? (
        <>
          <h2 class="group">Due today</h2>
          <Rows tasks={dueToday} ctx={ctx} />
        </>
      ) : null}
      {!overdue.length && !dueToday.length ? (
        <p class="empty">
          Nothing due today. <a href="/upcoming">See what is coming up</a>.
        </p>
      ) : null}
      {more ? (
        <p class="hint">
          Only the first tasks are shown here. <a href="/tasks?due=overdue">See every overdue task</a>.
        </p>
      ) : null}
    </Results>
  );
}

export function UpcomingPage(props: { model: UpcomingModel }) {
  const { today, lastDay } = props.model;
  return (
    <>
      <h1>Upcoming</h1>
      <p class="hint">
        The next {UPCOMING_DAYS} days, from tomorrow ({formatDate(addDays(today, 1))}) to {formatDate(lastDay)}. Today's tasks are in{" "}
        <a href="/today">Today</a>.
      </p>
      <QuickAddForm back="/upcoming" />
      <UpcomingResults model={props.model} />
      <SharedMoveMenu />
    </>
  );
}

/** `notice`: a line above the days after a change that redrew them (a completion's Undo, say). */
export function UpcomingResults(props: { model: UpcomingModel; notice?: Child }) {
  const { groups, ctx, daysCut } = props.model;
  return (
    <Results label="Upcoming tasks">
      {props.notice ? (
        <ul class="tasks notices" {...ROW_HTMX}>
          {props.notice}
        </ul>
      ) : null}
      {groups ? (
        groups.map((group) =>
          group.kind === "day" ? (
            <>
              <h2 class="day">{dayHeading(group.date)}</h2>
              <Rows tasks={group.tasks} ctx={ctx} />
            </>
          ) : (
            <p class="empty-days">{emptyDaysText(group.from, group.to)}</p>
          ),
        )
      ) : (
        <p>
          <a href="/upcoming">Back to the next {UPCOMING_DAYS} days</a>
        </p>
      )}
      {daysCut ? (
        <p class="hint">
          Not every task of these days fits here. <a href="/tasks?due=week">See the next 7 days in All</a>.
        </p>
      ) : null}
      <h2 class="day later">{groups ? "Later" : "Later, continued"}</h2>
      {props.model.later.length ? (
        <ul class="tasks" {...ROW_HTMX}>
          <LaterRows model={props.model} />
        </ul>
      ) : (
        <p class="empty-days">Nothing due later.</p>
      )}
    </Results>
  );
}

/** Later's rows and its "load more": what the next page of Later is under htmx. */
export function LaterRows(props: { model: UpcomingModel }) {
  const { later, ctx, laterNext } = props.model;
  return (
    <>
      <TaskItems tasks={later} ctx={ctx} />
      <MoreRow url={laterNext ? `/upcoming?cursor=${laterNext}` : null} />
    </>
  );
}

export function NoDatePage(props: { model: NoDateModel }) {
  return (
    <>
      <h1>No date</h1>
      <p class="hint">Open tasks without a due date, most urgent first.</p>
      <QuickAddForm back="/no-date" />
      <NoDateResults model={props.model} />
      <SharedMoveMenu />
    </>
  );
}

export function NoDateResults(props: { model: NoDateModel }) {
  return (
    <Results label="Tasks without a date">
      {props.model.tasks.length ? (
        <ul class="tasks" {...ROW_HTMX}>
          <NoDateRows model={props.model} />
        </ul>
      ) : (
        <p class="empty">Every open task has a date.</p>
      )}
    </Results>
  );
}

export function NoDateRows(props: { model: NoDateModel }) {
  const { tasks, ctx, nextCursor } = props.model;
  return (
    <>
      <TaskItems tasks={tasks} ctx={ctx} />
      <MoreRow url={nextCursor ? `/no-date?cursor=${nextCursor}` : null} />
    </>
  );
}

export function DonePage(props: { model: DoneModel }) {
  return (
    <>
      <h1>Done</h1>
      <p class="hint">Finished tasks and completed repeats, most recent first. Undo puts one back.</p>
      <DoneResults model={props.model} />
    </>
  );
}

export function DoneResults(props: { model: DoneModel }) {
  return (
    <Results label="Completed tasks">
      {props.model.entries.length ? (
        <ul class="tasks done-list" {...ROW_HTMX}>
          <DoneRows model={props.model} />
        </ul>
      ) : (
        <p class="empty">Nothing done yet. Tasks you complete show here.</p>
      )}
    </Results>
  );
}

export function DoneRows(props: { model: DoneModel }) {
  const when = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: props.model.timezone });
  const { nextCursor } = props.model;
  return (
    <>
      {props.model.entries.map((entry) => (
        <DoneItem entry={entry} completed={when.format(entry.completedAt)} />
      ))}
      <MoreRow url={nextCursor ? `/done?cursor=${nextCursor}` : null} />
    </>
  );
}

/**
 * One finished task or completed repeat. A one-off task's Undo is the list's own reopen (boosted
 * like every row form, answered by removing the row); a repeat's posts to its completion's undo,
 * as a plain form that comes back to this page.
 */
function DoneItem(props: { entry: DoneEntry; completed: string }) {
  const { entry } = props;
  const repeat = entry.kind === "completion";
  const id = repeat ? `completion-${entry.id}` : `task-${entry.id}`;
  const undo = repeat ? `/completions/${entry.id}/undo` : `/tasks/${entry.id}/reopen`;
  const occurrence = repeat && entry.dueDate ? html` · the one due ${formatDate(entry.dueDate)}` : "";
  return html`<li id="${id}" class="task done-entry is-done priority-${entry.priority}"><a class="task-title" href="/tasks/${entry.taskId}" hx-boost="false">${entry.title}</a><p>Done <time datetime="${entry.completedAt.toISOString()}">${props.completed}</time>${occurrence}</p><form method="post" action="${undo}"${repeat ? html` hx-boost="false"` : ""}><button aria-label="Undo “${entry.title}”">Undo</button></form></li>`;
}
