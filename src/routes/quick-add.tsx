import { Hono, type Context } from "hono";
import { insertTask } from "../db/tasks.js";
import type { SignedInEnv, HonoEnv } from "../deps.js";
import { field } from "../form-fields.js";
import { readForm } from "../http/form.js";
import { currentPage, pageOrFragment, renderFragment, safeNext, wantsFragment } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { currentView } from "../loaders/planning-views.js";
import { currentListFilter, loadList } from "../loaders/task-list.js";
import { setAddedNote } from "../quick-add/added-note.js";
import { dateOrderFor } from "../quick-add/date-order.js";
import { parseQuickAdd, QUICK_ADD_MAX, type QuickAdd } from "../quick-add/parse.js";
import { echoRuns, understoodFacts, understoodSummary } from "../quick-add/understood.js";
import { localDate } from "../tasks/due.js";
import { taskCapMessage } from "../tasks/task-cap.js";
import { validateTask } from "../tasks/task-input.js";
import { QuickAddBox, QuickAddPreview, type QuickAddPreviewModel } from "../views/quick-add.js";
import { TaskResults } from "../views/task-list.js";
import { viewResultsFragment } from "./planning-views.js";

// Quick add (issue #13): POST /tasks/quick and GET /tasks/quick/preview.
// Signed-in only: put requireUser on each route (not .use on this sub-app: mounted at "/", a
// sub-app's middleware would run for every path, /login included).
export const quickAddRoutes = new Hono<HonoEnv>();

/** Where a quick add returns to when the form names nowhere (or somewhere not ours). */
const DEFAULT_BACK = "/today";

/** What the text means for this user now: their zone, their date order (saved, else their browser's). */
function understand(c: Context<SignedInEnv>, text: string): { parsed: QuickAdd; today: string } {
  const user = c.var.user;
  const now = c.var.deps.clock.now();
  const dateOrder = dateOrderFor(user.dateOrder ?? null, c.req.header("Accept-Language"));
  return { parsed: parseQuickAdd(text, { now, timezone: user.timezone, dateOrder }), today: localDate(now, user.timezone) };
}

function previewModel(text: string, parsed: QuickAdd, today: string): QuickAddPreviewModel {
  return {
    runs: echoRuns(text.slice(0, QUICK_ADD_MAX), parsed),
    facts: understoodFacts(parsed, today),
    problem: parsed.problem ?? (text.trim() && !parsed.title ? NO_TITLE : null),
  };
}

const NO_TITLE = "Say what the task is as well as when, e.g. “Pay rent tomorrow”.";

// The preview answers from the session alone (no query): the parse is pure.
quickAddRoutes.get("/quick/preview", requireUser, (c) => {
  const text = (c.req.query("text") ?? "").slice(0, QUICK_ADD_MAX);
  const { parsed, today } = understand(c, text);
  return renderFragment(c, <QuickAddPreview model={previewModel(text, parsed, today)} />);
});

quickAddRoutes.post("/quick", requireUser, async (c) => {
  const user = c.var.user;
  const body = await readForm(c.req.raw);
  const text = field(body, "text");
  const back = safeNext(field(body, "back"), DEFAULT_BACK);
  const again = (error: string, preview: QuickAddPreviewModel | null = null) =>
    pageOrFragment(
      c,
      {
        title: "Quick add",
        page: () => (
          <section class="narrow">
            <h1>Quick add</h1>
            <QuickAddBox back={back} text={text} error={error} preview={preview} />
            <p>
              <a href={back}>Back without adding</a>
            </p>
          </section>
        ),
        fragment: () => <QuickAddBox back={back} text={text} error={error} preview={preview} />,
      },
      422,
    );

  if (!text.trim()) return again("Type the task, e.g. “Pay rent tomorrow 9am !high”.");
  if ([...text].length > QUICK_ADD_MAX) return again(`Keep quick add to ${QUICK_ADD_MAX} characters; add notes by editing the task afterwards.`);
  const { parsed, today } = understand(c, text);
  const preview = previewModel(text, parsed, today);
  if (!parsed.title) return again(NO_TITLE, preview);
  if (parsed.problem) return again(parsed.problem, preview);
  // The same rules as the task form (title length, characters, date range), on what was understood.
  const checked = validateTask(
    { title: parsed.title, notes: "", priority: parsed.priority, status: "todo", due_date: parsed.dueDate ?? "", due_time: parsed.dueTime ?? "", reminders: "on" },
    user.timezone,
  );
  if (!checked.ok) return again(Object.values(checked.errors)[0]!, preview);

  const values = { ...checked.values, rrule: parsed.rrule, repeatFrom: parsed.repeatFrom };
  const created = await insertTask(c.var.db, user.id, values, c.var.deps.clock.now());
  if (!created) return again(taskCapMessage(), preview);

  const note = { taskId: created.id, title: created.title, summary: understoodSummary(parsed, today) };
  if (!wantsFragment(c)) {
    setAddedNote(c, c.var.deps.config, user.id, note);
    return c.redirect(back, 303);
  }
  // htmx: a fresh form with the status line, and the list the page shows re-read so the task
  // appears where it sorts (one more statement: the budget of 3 holds).
  if (currentPage(c)?.pathname === "/tasks") {
    const model = await loadList(c, currentListFilter(c), null);
    return c.html(
      <>
        <QuickAddBox back={back} added={note} />
        <TaskResults model={model} oob />
      </>,
    );
  }
  const view = await viewResultsFragment(c, currentView(c));
  if (!view) return c.html(<QuickAddBox back={back} added={note} />);
  // A planning view's results region is swapped as its own fragment is (it carries the navigation's
  // counts out of band); the form comes along in htmx 4's partial envelope.
  c.header("HX-Retarget", "#view-results");
  c.header("HX-Reswap", "outerHTML");
  return c.html(
    <>
      {view}
      <hx-partial hx-target="#quick-add" hx-swap="outerHTML">
        <QuickAddBox back={back} added={note} />
      </hx-partial>
    </>,
  );
});
