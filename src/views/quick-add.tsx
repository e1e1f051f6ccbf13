import { useRequestContext } from "hono/jsx-renderer";
import type { HonoEnv } from "../deps.js";
import { takeAddedNote, type AddedNote } from "../quick-add/added-note.js";
import { QUICK_ADD_MAX } from "../quick-add/parse.js";
import type { EchoRun, UnderstoodFact } from "../quick-add/understood.js";

/** What the preview shows: the text with the words taken marked, and what they meant. */
export interface QuickAddPreviewModel {
  runs: EchoRun[];
  facts: UnderstoodFact[];
  /** Why this text cannot make a task yet (no title left, a repetition that ends at once). */
  problem: string | null;
}

/**
 * Quick add, at the top of Today, Upcoming, No date and All. On a page it also shows, once, what
 * the last quick add without JavaScript understood (the note its 303 left).
 */
export function QuickAddForm(props: { back: string }) {
  return <QuickAddBox back={props.back} added={pendingNote()} />;
}

// The note belongs to a full page; a fragment rendered outside the layout has no request context.
function pendingNote(): AddedNote | null {
  try {
    const c = useRequestContext<HonoEnv>();
    return c.var.user && c.var.deps ? takeAddedNote(c, c.var.deps.config, c.var.user.id) : null;
  } catch {
    return null;
  }
}

/**
 * The form itself, also what POST /tasks/quick answers htmx with: fresh after an add (with the
 * status line), or with the text kept and its message after a refusal (422). While typing, htmx asks
 * for the preview (debounced) and puts it in the polite live region below the field.
 */
export function QuickAddBox(props: { back: string; text?: string; error?: string; added?: AddedNote | null; preview?: QuickAddPreviewModel | null }) {
  const { error, added } = props;
  const describedBy = [error ? "quick-add-error" : "quick-add-hint", "quick-add-preview"].join(" ");
  return (
    <div id="quick-add" class="quick-add">
      {added ? <AddedLine note={added} /> : null}
      <form method="post" action="/tasks/quick" hx-post="/tasks/quick" hx-target="#quick-add" hx-swap="outerHTML" novalidate>
        <input type="hidden" name="back" value={props.back} />
        <label for="quick-add-text">Quick add</label>
        <div class="quick-add-row">
          <input
            id="quick-add-text"
            name="text"
            value={props.text ?? ""}
            autocomplete="off"
            enterkeyhint="done"
            maxlength={QUICK_ADD_MAX}
            placeholder="Pay rent tomorrow 9am !high"
            aria-invalid={error ? "true" : undefined}
            aria-describedby={describedBy}
            hx-get="/tasks/quick/preview"
            hx-trigger="input changed delay:250ms"
            hx-target="#quick-add-preview"
            hx-sync="replace"
          />
          <button type="submit" class="primary">
            Add
          </button>
        </div>
        {error ? (
          <small id="quick-add-error" class="error">
            {error}
          </small>
        ) : (
          <small id="quick-add-hint" class="hint">
            Write a date or time (“tomorrow 9am”, “fri”, “3/12”), a priority (!low, !high, !urgent) or a repetition (“every monday”, “every! 3 days”).
          </small>
        )}
      </form>
      <div id="quick-add-preview" class="quick-add-preview" aria-live="polite">
        {props.preview ? <QuickAddPreview model={props.preview} /> : null}
      </div>
    </div>
  );
}

/** "Added “Pay rent” — tomorrow 09:00, high. Edit" */
export function AddedLine(props: { note: AddedNote }) {
  const { note } = props;
  return (
    <p class="notice quick-added" role="status">
      Added “<a href={`/tasks/${note.taskId}`}>{note.title}</a>”{note.summary ? ` — ${note.summary}` : ""}.{" "}
      <a href={`/tasks/${note.taskId}/edit`} aria-label={`Edit “${note.title}”`}>
        Edit
      </a>
    </p>
  );
}

/** The preview fragment (GET /tasks/quick/preview). */
export function QuickAddPreview(props: { model: QuickAddPreviewModel }) {
  const { runs, facts, problem } = props.model;
  if (!runs.length) return null;
  return (
    <div class="understood">
      <p class="echo">
        <span class="visually-hidden">Understood from: </span>
        {runs.map((run) => (run.taken ? <mark>{run.text}</mark> : run.text))}
      </p>
      {facts.length ? (
        <dl>
          {facts.map((fact) => (
            <div>
              <dt>{fact.label}</dt>
              <dd>{fact.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {problem ? <p class="error">{problem}</p> : null}
    </div>
  );
}
