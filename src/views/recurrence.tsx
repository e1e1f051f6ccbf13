import { describeRule } from "../recurrence/rule-words.js";
import { formatDate } from "../tasks/format.js";

// What the pages show of a repeating task (issue #13): its rule in words, the notice after an
// occurrence is completed or skipped (with Undo), and the occurrences completed so far.

/** The words a completion or skip is announced with, and its notice says. */
export function movedWords(kind: "completed" | "skipped", title: string, nextDue: string | null): string {
  const what = kind === "completed" ? "done" : "skipped";
  return nextDue ? `“${title}” ${what}; next on ${formatDate(nextDue)}.` : `“${title}” ${what}; that was the last time it repeats.`;
}

/**
 * Said after a repeating task moved on: in a list it takes the place just after the row (or of the
 * row, when the task left that view); on the task page it heads the page. `data-announce` is what
 * app.js reads out after the swap. Undo is a plain form everywhere: in a list htmx boosts it and
 * swaps the answer over this notice.
 */
export function CompletionNotice(props: { words: string; completionId: string | null; as: "li" | "div"; title: string }) {
  const Tag = props.as;
  return (
    <Tag class="completion-notice" role="status" data-announce={props.words}>
      <span>{props.words}</span>
      {props.completionId ? (
        <form method="post" action={`/completions/${props.completionId}/undo`} class="inline">
          <button type="submit" aria-label={`Undo completing “${props.title}”`}>
            Undo
          </button>
        </form>
      ) : null}
    </Tag>
  );
}

/** A line in a list after an undo, or telling why an undo could not be done. */
export function UndoNotice(props: { words: string; alert?: boolean }) {
  return (
    <li class="completion-notice" role={props.alert ? "alert" : "status"} data-announce={props.words}>
      {props.words}
    </li>
  );
}

/** The rule in words, carrying the RRULE itself for anything that reads the page. */
export function RepeatLine(props: { rrule: string; repeatFrom: "due" | "completion" }) {
  return (
    <p class="repeat" data-rrule={props.rrule}>
      Repeats {describeRule(props.rrule, props.repeatFrom)}
    </p>
  );
}

/** A completed occurrence as the task page lists it. */
export interface CompletionView {
  id: string;
  dueDate: string;
  completedAt: Date;
  /** Only the latest completion can be undone, and only while the task is as it left it. */
  undoable: boolean;
}

export function RecentCompletions(props: { completions: CompletionView[]; timezone: string; title: string }) {
  if (!props.completions.length) return null;
  const at = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: props.timezone });
  return (
    <section class="completions" aria-labelledby="completions-heading">
      <h2 id="completions-heading">Completed occurrences</h2>
      <ul>
        {props.completions.map((c) => (
          <li>
            The one due {formatDate(c.dueDate)}, done <time datetime={c.completedAt.toISOString()}>{at.format(c.completedAt)}</time>
            {c.undoable ? (
              <form method="post" action={`/completions/${c.id}/undo`} class="inline">
                <button type="submit" aria-label={`Undo completing “${props.title}” due ${formatDate(c.dueDate)}`}>
                  Undo
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
