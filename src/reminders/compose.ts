import type { Task } from "../db/schema.js";
import { describeDue } from "../tasks/format.js";
import { PRIORITY_LABELS } from "../views/labels.js";
import type { ReminderGroup, Slot } from "./slots.js";

export interface RemindedTask {
  task: Task;
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

/** Which group a task shows under: a deadline already past is overdue even on its own day. */
export function groupOf(item: RemindedTask, now: Date): ReminderGroup {
  return item.task.dueAt && item.task.dueAt < now ? "overdue" : item.slot.group;
}

/** The daily digest: every reminder of the day in one email, grouped overdue / today / soon. */
export function composeDigest(input: ComposeInput): ComposedEmail {
  const groups = new Map<ReminderGroup, RemindedTask[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const item of input.items) groups.get(groupOf(item, input.now))!.push(item);
  const counts = [
    groups.get("today")!.length ? `${groups.get("today")!.length} due today` : "",
    groups.get("overdue")!.length ? `${groups.get("overdue")!.length} overdue` : "",
    groups.get("soon")!.length ? `${groups.get("soon")!.length} due soon` : "",
  ].filter(Boolean);
  const subject = counts.join(", ");
  const sections = GROUP_ORDER.filter((g) => groups.get(g)!.length).map((g) => ({ title: GROUP_TITLES[g], items: groups.get(g)! }));

  const html = (
    <EmailShell input={input} heading={`Your tasks for today: ${subject}`}>
      {sections.map((s) => (
        <>
          <h2>{s.title}</h2>
          <ul>
            {s.items.map((item) => (
              <TaskEntry item={item} input={input} />
            ))}
          </ul>
        </>
      ))}
    </EmailShell>
  );
  const text = [
    `Hello ${input.name},`,
    "",
    `Your tasks for today: ${subject}.`,
    ...sections.flatMap((s) => ["", s.title.toUpperCase(), ...s.items.flatMap((item) => taskText(item, input))]),
    ...footerText(input),
  ].join("\n");
  return { subject, html: "<!DOCTYPE html>" + html.toString(), text };
}

/** One email for one task, for people who chose per-task delivery. */
export function composeTaskEmail(input: ComposeInput & { items: [RemindedTask] }): ComposedEmail {
  const item = input.items[0];
  const due = dueText(item, input);
  const subject = item.slot.final
    ? `Still relevant? “${item.task.title}” is ${due.relative.replace("overdue by ", "")} overdue`
    : `${groupOf(item, input.now) === "overdue" ? "Overdue" : "Reminder"}: ${item.task.title} (${due.relative})`;
  const html = (
    <EmailShell input={input} heading={item.slot.final ? "Is this task still relevant?" : "A deadline needs your attention"}>
      <ul>
        <TaskEntry item={item} input={input} />
      </ul>
    </EmailShell>
  );
  const text = [`Hello ${input.name},`, "", ...taskText(item, input), ...footerText(input)].join("\n");
  return { subject, html: "<!DOCTYPE html>" + html.toString(), text };
}

function EmailShell(props: { input: ComposeInput; heading: string; children: unknown }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{props.heading}</title>
      </head>
      <body>
        <p>Hello {props.input.name},</p>
        <h1>{props.heading}</h1>
        {props.children as never}
        <hr />
        <p>
          <a href={`${props.input.appUrl}/tasks`}>Open SmartTask</a> · <a href={`${props.input.appUrl}/settings`}>Reminder settings</a> ·{" "}
          <a href={props.input.unsubscribeUrl}>Unsubscribe from reminders</a>
        </p>
      </body>
    </html>
  );
}

function TaskEntry(props: { item: RemindedTask; input: ComposeInput }) {
  const { item, input } = props;
  const due = dueText(item, input);
  return (
    <li>
      <p>
        <a href={`${input.appUrl}/tasks/${item.task.id}`}>
          <strong>{item.task.title}</strong>
        </a>{" "}
        [{PRIORITY_LABELS[item.task.priority]} priority]
        <br />
        Due {due.absolute} ({due.relative})
        {item.slot.final ? (
          <>
            <br />
            This is the last reminder for it. If it no longer matters, mark it done.
          </>
        ) : null}
        <br />
        <a href={item.links.done}>Mark done</a> · <a href={item.links.tomorrow}>Move to tomorrow</a>
      </p>
    </li>
  );
}

function taskText(item: RemindedTask, input: ComposeInput): string[] {
  const due = dueText(item, input);
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

function dueText(item: RemindedTask, input: ComposeInput) {
  const t = item.task;
  return describeDue({ dueDate: t.dueDate!, dueTime: t.dueTime, dueAt: t.dueAt!, done: false }, input.now, input.timezone);
}
