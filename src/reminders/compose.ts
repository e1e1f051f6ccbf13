import type { Task } from "../db/schema.js";
import { filterQuery } from "../tasks/filters.js";
import { type DueWindow } from "../db/task-query.js";
import { describeDue, type DueLabel } from "../tasks/format.js";
import { PRIORITY_LABELS } from "../tasks/labels.js";
import type { Slot } from "./slots.js";
import type { GroupCounts, ReminderGroup } from "../db/reminders.js";
import { escapeHtml } from "../views/escape-html.js";

// Emails are written as plain strings with every value escaped: a scan composes ten thousand of
// them in a run, and rendering them as JSX trees was a third of its CPU time.

/** What an email shows of a task. */
export type ReminderTask = Pick<Task, "id" | "title" | "priority" | "dueTime"> & { dueDate: string; dueAt: Date };

export interface RemindedTask {
  task: ReminderTask;
  slot: Slot;
  /** Signed one-time links, already made for this email. */
  links: { done: string; tomorrow: string };
}

export interface ComposeInput {
  name: string;
  timezone: string;
  now: Date;
  appUrl: string;
  unsubscribeUrl: string;
  items: RemindedTask[];
}

export interface ComposedEmail {
  subject: string;
  html: string;
  text: string;
}

const GROUP_TITLES: Record<ReminderGroup, string> = { overdue: "Overdue", today: "Due today", soon: "Due soon" };
const GROUP_ORDER: ReminderGroup[] = ["overdue", "today", "soon"];

/** The list in the app that holds a group's tasks (open ones, in the digest's order). */
const GROUP_FILTERS: Record<ReminderGroup, DueWindow> = { overdue: "overdue", today: "today", soon: "week" };
const GROUP_LISTS: Record<ReminderGroup, string> = { overdue: "all overdue tasks", today: "all tasks due today", soon: "all tasks due in the next 7 days" };

export function groupListUrl(appUrl: string, group: ReminderGroup): string {
  const query = filterQuery({ statuses: ["todo", "in_progress"], priorities: [], due: GROUP_FILTERS[group], q: "", sort: "priority" });
  return `${appUrl}/tasks${query}`;
}

/** Which group a task shows under: a deadline already past is overdue even on its own day. */
export function groupOf(item: RemindedTask, now: Date): ReminderGroup {
  return item.task.dueAt && item.task.dueAt < now ? "overdue" : item.slot.group;
}

/**
 * The daily digest: the day's reminders in one email, grouped overdue / today / soon. `items` are
 * the tasks shown (the most urgent first, at most the scan's limit: DIGEST_LIMIT, or
 * PER_TASK_DIGEST_LIMIT for the digest that replaces a per-task reader's 20+ mails); `counts` are all the tasks with
 * a reminder today, so the subject tells the whole day and "and N more" links to the rest.
 */
export function composeDigest(input: ComposeInput & { counts?: GroupCounts }): ComposedEmail {
  const groups = new Map<ReminderGroup, RemindedTask[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const item of input.items) groups.get(groupOf(item, input.now))!.push(item);
  const counts = input.counts ?? (Object.fromEntries(GROUP_ORDER.map((g) => [g, groups.get(g)!.length])) as GroupCounts);
  const n = (count: number) => count.toLocaleString("en-US");
  const subject = [
    counts.today ? `${n(counts.today)} due today` : "",
    counts.overdue ? `${n(counts.overdue)} overdue` : "",
    counts.soon ? `${n(counts.soon)} due soon` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const sections = GROUP_ORDER.filter((g) => groups.get(g)!.length).map((g) => ({ title: GROUP_TITLES[g], items: groups.get(g)! }));
  // The first group with tasks not shown is where the first hidden task sits (shown ones are the most urgent).
  const hiddenIn = GROUP_ORDER.find((g) => counts[g] > groups.get(g)!.length);
  const hidden = GROUP_ORDER.reduce((n, g) => n + counts[g], 0) - input.items.length;
  const more = hiddenIn && hidden > 0 ? { count: n(hidden), url: groupListUrl(input.appUrl, hiddenIn), list: GROUP_LISTS[hiddenIn] } : null;
  const due = dueTexts(input);

  const html = emailShell(
    input,
    `Your tasks for today: ${subject}`,
    sections.map((s) => `<h2>${escapeHtml(s.title)}</h2><ul>${s.items.map((item) => taskHtml(item, input, due(item))).join("")}</ul>`).join("") +
      (more ? `<p>…and ${more.count} more. <a href="${escapeHtml(more.url)}">See ${escapeHtml(more.list)}</a></p>` : ""),
  );
  const text = [
    `Hello ${input.name},`,
    "",
    `Your tasks for today: ${subject}.`,
    ...sections.flatMap((s) => ["", s.title.toUpperCase(), ...s.items.flatMap((item) => taskText(item, input, due(item)))]),
    ...(more ? ["", `…and ${more.count} more. See ${more.list}: ${more.url}`] : []),
    ...footerText(input),
  ].join("\n");
  return { subject, html, text };
}

/** One email for one task, for people who chose per-task delivery. */
export function composeTaskEmail(input: ComposeInput & { items: [RemindedTask] }): ComposedEmail {
  const item = input.items[0];
  const due = dueTexts(input)(item);
  const subject = item.slot.final
    ? `Still relevant? “${item.task.title}” is ${due.relative.replace("overdue by ", "")} overdue`
    : `${groupOf(item, input.now) === "overdue" ? "Overdue" : "Reminder"}: ${item.task.title} (${due.relative})`;
  const heading = item.slot.final ? "Is this task still relevant?" : "A deadline needs your attention";
  const html = emailShell(input, heading, `<ul>${taskHtml(item, input, due)}</ul>`);
  const text = [`Hello ${input.name},`, "", ...taskText(item, input, due), ...footerText(input)].join("\n");
  return { subject, html, text };
}

function emailShell(input: ComposeInput, heading: string, body: string): string {
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>${escapeHtml(heading)}</title></head><body>` +
    `<p>Hello ${escapeHtml(input.name)},</p><h1>${escapeHtml(heading)}</h1>${body}<hr/>` +
    `<p><a href="${escapeHtml(`${input.appUrl}/tasks`)}">Open SmartTask</a> · <a href="${escapeHtml(`${input.appUrl}/settings`)}">Reminder settings</a> · ` +
    `<a href="${escapeHtml(input.unsubscribeUrl)}">Unsubscribe from reminders</a></p></body></html>`
  );
}

function taskHtml(item: RemindedTask, input: ComposeInput, due: DueLabel): string {
  return (
    `<li><p><a href="${escapeHtml(`${input.appUrl}/tasks/${item.task.id}`)}"><strong>${escapeHtml(item.task.title)}</strong></a> ` +
    `[${escapeHtml(PRIORITY_LABELS[item.task.priority])} priority]<br/>Due ${escapeHtml(due.absolute)} (${escapeHtml(due.relative)})` +
    (item.slot.final ? "<br/>This is the last reminder for it. If it no longer matters, mark it done." : "") +
    `<br/><a href="${escapeHtml(item.links.done)}">Mark done</a> · <a href="${escapeHtml(item.links.tomorrow)}">Move to tomorrow</a></p></li>`
  );
}

function taskText(item: RemindedTask, input: ComposeInput, due: DueLabel): string[] {
  return [
    `- ${item.task.title} [${PRIORITY_LABELS[item.task.priority]} priority]`,
    `  Due ${due.absolute} (${due.relative})`,
    ...(item.slot.final ? ["  This is the last reminder for it. If it no longer matters, mark it done."] : []),
    `  Open: ${input.appUrl}/tasks/${item.task.id}`,
    `  Mark done: ${item.links.done}`,
    `  Move to tomorrow: ${item.links.tomorrow}`,
  ];
}

function footerText(input: ComposeInput): string[] {
  return ["", `Reminder settings: ${input.appUrl}/settings`, `Unsubscribe from reminders: ${input.unsubscribeUrl}`];
}

/** Each task's due label, worked out once per email for both its HTML and its text. */
function dueTexts(input: ComposeInput): (item: RemindedTask) => DueLabel {
  const labels = new Map<RemindedTask, DueLabel>();
  return (item) => {
    let label = labels.get(item);
    if (!label) {
      const t = item.task;
      label = describeDue({ dueDate: t.dueDate, dueTime: t.dueTime, dueAt: t.dueAt, done: false }, input.now, input.timezone);
      labels.set(item, label);
    }
    return label;
  };
}

