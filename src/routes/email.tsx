import { Hono, type Context } from "hono";
import { turnOffReminders } from "../db/reminder-prefs.js";
import { isTokenUsed, taskForLink, userEmail, useToken } from "../db/email-actions.js";
import type { Task } from "../db/schema.js";
import { moveOpenTaskDue } from "../db/tasks.js";
import { completeTask } from "../recurrence/advance.js";
import { movedWords } from "../views/recurrence.js";
import type { HonoEnv } from "../deps.js";
import { ACTION_LINK_TTL_MS, readActionToken, readUnsubscribeToken, type ActionCheck } from "../email/links.js";
import { emailSigner } from "../email/signing-key.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { dueTomorrow } from "../tasks/due.js";
import { describeDue, formatDate } from "../tasks/format.js";
import { ActionConfirmPage, ActionResultPage, UnsubscribePage } from "../views/email-pages.js";

/**
 * Links from reminder emails. They work without signing in: each carries a signed token. The
 * one-click unsubscribe POST (RFC 8058) comes from the mail provider with no cookie or Origin and
 * is exempt from the same-origin check; its token is its only credential.
 */
export const emailRoutes = new Hono<HonoEnv>();

const signer = (c: Context<HonoEnv>) => emailSigner(c.var.db, c.var.deps.config.signingSecret);

emailRoutes.get("/unsubscribe", async (c) => {
  const token = c.req.query("token") ?? "";
  const claims = await readUnsubscribeToken(await signer(c), token);
  const email = claims && (await userEmail(c.var.db, claims.userId));
  if (!email) return invalidLink(c);
  return c.render(<UnsubscribePage token={token} email={email} />, { title: "Email reminders" });
});

emailRoutes.post("/unsubscribe", async (c) => {
  const token = c.req.query("token") ?? "";
  const claims = await readUnsubscribeToken(await signer(c), token);
  const email = claims && (await userEmail(c.var.db, claims.userId));
  if (!claims || !email) return invalidLink(c);
  await turnOffReminders(c.var.db, claims.userId);
  console.log(JSON.stringify({ event: "reminders.unsubscribed", userId: claims.userId }));
  return c.render(<UnsubscribePage token={token} email={email} done />, { title: "Reminders turned off" });
});

emailRoutes.get("/action", async (c) => {
  const token = c.req.query("token") ?? "";
  const check = await readActionToken(await signer(c), token, c.var.deps.clock.now());
  if (!check.ok) return linkProblem(c, check);
  const found = await taskForLink(c.var.db, check.userId, check.taskId);
  if (!found) return linkProblem(c, { ok: false, reason: "invalid" });
  if (await isTokenUsed(c.var.db, check.nonce)) return alreadyUsed(c, check.taskId);
  if (movedOn(found.task, check.dueDate)) return occurrencePassed(c, found.task, check.dueDate!);
  if (check.action === "tomorrow" && found.task.status === "done") return alreadyDone(c, found.task);
  const newDue = check.action === "tomorrow" ? dueTomorrow(found.task.dueTime, found.timezone, c.var.deps.clock.now()) : null;
  const label = newDue ? describeDue({ ...newDue, dueAt: newDue.dueAt, done: false }, c.var.deps.clock.now(), found.timezone).absolute : undefined;
  return c.render(<ActionConfirmPage token={token} task={{ id: found.task.id, title: found.task.title }} action={check.action} newDue={label} />, { title: "Confirm" });
});

emailRoutes.post("/action", async (c) => {
  const token = field(await readForm(c.req.raw), "token");
  const now = c.var.deps.clock.now();
  const check = await readActionToken(await signer(c), token, now);
  if (!check.ok) return linkProblem(c, check);
  const found = await taskForLink(c.var.db, check.userId, check.taskId);
  if (!found) return linkProblem(c, { ok: false, reason: "invalid" });
  // Refused before the link is used up: reopened later, the task can still be moved with it.
  if (movedOn(found.task, check.dueDate)) return occurrencePassed(c, found.task, check.dueDate!);
  if (check.action === "tomorrow" && found.task.status === "done") return alreadyDone(c, found.task);
  if (!(await useToken(c.var.db, check.nonce, now))) return alreadyUsed(c, check.taskId);

  if (check.action === "done") {
    // A repeating task completes its current occurrence and moves to the next (src/recurrence/advance.ts).
    const done = await completeTask(c.var.db, { id: check.userId, timezone: found.timezone }, check.taskId, now);
    const message = done?.moved && done.task.status !== "done" ? movedWords("completed", found.task.title, done.task.dueDate) : `“${found.task.title}” is done. Well done.`;
    return c.render(<ActionResultPage heading="Marked done" message={message} taskId={check.taskId} />, { title: "Done" });
  }
  // Only the due columns are written, and only while the task is open: whatever its owner changed
  // since the read above (title, notes, priority, a completion) stays as they left it.
  const moved = dueTomorrow(found.task.dueTime, found.timezone, now);
  const task = await moveOpenTaskDue(c.var.db, check.userId, check.taskId, moved, now);
  if (!task) return notMoved(c, check.userId, check.taskId);
  const label = describeDue({ ...moved, done: false }, now, found.timezone).absolute;
  return c.render(<ActionResultPage heading="Moved to tomorrow" message={`“${task.title}” is now due ${label}.`} taskId={check.taskId} />, {
    title: "Moved",
  });
});

/**
 * A repeating task whose current occurrence is not the one the email was about: the link must not
 * complete or move a later occurrence (one-off tasks keep working after their date was changed).
 */
function movedOn(task: Task, emailedDue: string | null): boolean {
  return task.rrule !== null && emailedDue !== null && task.dueDate !== emailedDue;
}

function occurrencePassed(c: Context<HonoEnv>, task: Task, emailedDue: string) {
  c.status(409);
  const now = task.dueDate ? ` It is now due ${formatDate(task.dueDate)}.` : "";
  return c.render(
    <ActionResultPage
      heading="This reminder is out of date"
      message={`The email was about “${task.title}” due ${formatDate(emailedDue)}, and that time has been done, skipped or moved since.${now} Nothing was changed.`}
      taskId={task.id}
    />,
    { title: "Reminder out of date" },
  );
}

/** The task changed between the read and the move (completed, deleted, or its due time edited). */
async function notMoved(c: Context<HonoEnv>, userId: string, taskId: string) {
  const current = await taskForLink(c.var.db, userId, taskId);
  if (!current) return linkProblem(c, { ok: false, reason: "invalid" });
  if (current.task.status === "done") return alreadyDone(c, current.task);
  c.status(409);
  return c.render(
    <ActionResultPage heading="This task changed" message="Its due time was changed after the email was sent, so it was not moved. Open the task to set its date." taskId={taskId} />,
    { title: "Task changed" },
  );
}

function alreadyDone(c: Context<HonoEnv>, task: Task) {
  c.status(409);
  return c.render(
    <ActionResultPage heading="This task is already done" message={`“${task.title}” was marked done, so it was not moved. Reopen it first if it still needs doing.`} taskId={task.id} />,
    { title: "Already done" },
  );
}

function invalidLink(c: Context<HonoEnv>) {
  c.status(400);
  return c.render(<ActionResultPage heading="This link does not work" message="The link is damaged or no longer valid. Open SmartTask to manage your reminders." />, {
    title: "Invalid link",
  });
}

function linkProblem(c: Context<HonoEnv>, check: Extract<ActionCheck, { ok: false }>) {
  if (check.reason === "expired") {
    c.status(410);
    return c.render(<ActionResultPage heading="This link has expired" message={`Links in reminder emails work for ${ACTION_LINK_TTL_MS / (24 * 60 * 60 * 1000)} days. Open SmartTask to change the task.`} />, {
      title: "Expired link",
    });
  }
  return invalidLink(c);
}

function alreadyUsed(c: Context<HonoEnv>, taskId: string) {
  c.status(409);
  return c.render(<ActionResultPage heading="This link was already used" message="Each link in a reminder email works once. Open the task to change it again." taskId={taskId} />, {
    title: "Link used",
  });
}
