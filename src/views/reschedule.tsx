import { formatDate } from "../tasks/format.js";
import { renderOnce } from "./render-once.js";

// Reschedule in one click (issue #13). Rows carry one light "Move" link; with JavaScript it opens
// the one MoveMenu of the page (app.js), without it the link opens ReschedulePage. The task page
// has the whole form (RescheduleForm).

/** The menu as every list page carries it: the same markup each time, rendered once per process. */
export function SharedMoveMenu() {
  return renderOnce("move-menu", () => <MoveMenu />);
}

/**
 * The menu every row's Move link opens (app.js fills in the task and posts the choice to that
 * row's /tasks/:id/reschedule with htmx). Rendered once per list, never per row.
 */
function MoveMenu() {
  return (
    <dialog id="move-menu" class="move-menu" aria-labelledby="move-menu-title">
      <h2 id="move-menu-title">
        Move <span data-move-title></span>
      </h2>
      <div class="move-choices">
        <button type="button" data-to="today">
          Today
        </button>
        <button type="button" data-to="tomorrow">
          Tomorrow
        </button>
        <button type="button" data-to="next_week">
          Next week
        </button>
      </div>
      <form class="move-date" data-move-date>
        <div class="field">
          <label for="move-menu-date">Pick a date</label>
          <input id="move-menu-date" type="date" name="to" required />
        </div>
        <button type="submit" class="primary">
          Move
        </button>
      </form>
      <p id="move-error" class="error" role="alert"></p>
      <form method="dialog">
        <button type="submit" class="link">
          Cancel
        </button>
      </form>
    </dialog>
  );
}

export interface RescheduleTask {
  id: string;
  title: string;
  dueDate: string | null;
  dueTime: string | null;
}

/**
 * The choices as plain forms: three buttons posting `to`, and a date of one's own. `back` is where
 * a plain post returns; `nextMonday` labels "Next week".
 */
export function RescheduleForm(props: { task: RescheduleTask; back: string; nextMonday: string; date?: string; error?: string }) {
  const { task, back } = props;
  const action = `/tasks/${task.id}/reschedule`;
  const dateId = `reschedule-date-${task.id}`;
  return (
    <div class="reschedule">
      <form method="post" action={action} class="actions">
        <input type="hidden" name="back" value={back} />
        <button type="submit" name="to" value="today">
          Today
        </button>
        <button type="submit" name="to" value="tomorrow">
          Tomorrow
        </button>
        <button type="submit" name="to" value="next_week">
          Next week <span class="hint">({formatDate(props.nextMonday)})</span>
        </button>
      </form>
      <form method="post" action={action} class="row" novalidate>
        <input type="hidden" name="back" value={back} />
        <div class={`field${props.error ? " invalid" : ""}`}>
          <label for={dateId}>Pick a date</label>
          <input
            id={dateId}
            type="date"
            name="to"
            value={props.date ?? task.dueDate ?? ""}
            aria-invalid={props.error ? "true" : undefined}
            aria-describedby={props.error ? `${dateId}-error` : undefined}
          />
          {props.error ? (
            <small id={`${dateId}-error`} class="error">
              {props.error}
            </small>
          ) : null}
        </div>
        <button type="submit" class="primary">
          Move
        </button>
      </form>
    </div>
  );
}

/** The Move link's page without JavaScript: the task, its current date, and the choices. */
export function ReschedulePage(props: { task: RescheduleTask; due: string; back: string; nextMonday: string; date?: string; error?: string }) {
  return (
    <section class="narrow">
      <h1>Move “{props.task.title}”</h1>
      <p>Now due: {props.due}</p>
      <RescheduleForm task={props.task} back={props.back} nextMonday={props.nextMonday} date={props.date} error={props.error} />
      <p>
        <a href={props.back}>Cancel</a>
      </p>
    </section>
  );
}
