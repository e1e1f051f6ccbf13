/** The page an unsubscribe link opens: one button, because following a link must change nothing. */
export function UnsubscribePage(props: { token: string; email: string; done?: boolean }) {
  return (
    <section class="narrow">
      <h1>Email reminders</h1>
      {props.done ? (
        <>
          <p class="notice" role="status">
            Reminders are now off for {props.email}. You will get no more reminder emails.
          </p>
          <p>
            Changed your mind? Turn them back on in <a href="/settings">Settings</a>.
          </p>
        </>
      ) : (
        <form method="post" action={`/email/unsubscribe?token=${encodeURIComponent(props.token)}`}>
          <p>Stop all reminder emails to {props.email}?</p>
          <button type="submit" class="primary">
            Turn off reminders
          </button>
        </form>
      )}
    </section>
  );
}

/** Confirms an action from a reminder email before doing it, so a mail scanner's visit does nothing. */
export function ActionConfirmPage(props: { token: string; task: { id: string; title: string }; action: "done" | "tomorrow"; newDue?: string }) {
  const { task } = props;
  return (
    <section class="narrow">
      <h1>{props.action === "done" ? "Mark this task done?" : "Move this task to tomorrow?"}</h1>
      <p>
        <strong>{task.title}</strong>
      </p>
      {props.action === "tomorrow" ? <p>It will be due {props.newDue}.</p> : null}
      <form method="post" action="/email/action">
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="primary">
          {props.action === "done" ? "Mark done" : "Move to tomorrow"}
        </button>
      </form>
      <p>
        <a href={`/tasks/${task.id}`}>Open the task instead</a>
      </p>
    </section>
  );
}

export function ActionResultPage(props: { heading: string; message: string; taskId?: string }) {
  return (
    <section class="narrow">
      <h1>{props.heading}</h1>
      <p role="status">{props.message}</p>
      <p>{props.taskId ? <a href={`/tasks/${props.taskId}`}>Open the task</a> : <a href="/tasks">Your tasks</a>}</p>
    </section>
  );
}
