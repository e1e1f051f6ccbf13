import type { TaskErrors, TaskForm } from "../tasks/task-input.js";
import { NOTES_MAX, TITLE_MAX } from "../tasks/task-input.js";
import { describedBy, Field, FormAlert, Select } from "./fields.js";
import { PRIORITY_OPTIONS, STATUS_OPTIONS } from "../tasks/labels.js";
import { RepeatFieldset } from "./repeat-fieldset.js";

/**
 * The task form, for creating (no `taskId`) and editing. Inside the list, htmx posts it and
 * swaps the answer over the form: the updated row, or the same form with its errors (422).
 */
export function TaskFormView(props: { form: TaskForm; errors: TaskErrors; taskId?: string; back: string; inline?: boolean }) {
  const { form, errors, taskId } = props;
  const action = taskId ? `/tasks/${taskId}` : "/tasks";
  const id = (name: string) => (taskId ? `${name}-${taskId}` : `new-${name}`);
  // Inline (editing in the list) the answer replaces the whole row; the create form replaces itself.
  const hx = { "hx-post": action, "hx-target": props.inline ? "closest li" : "#new-task", "hx-swap": "outerHTML" };
  const Wrapper = props.inline ? "li" : "div";
  return (
    <Wrapper id={taskId ? `task-${taskId}` : "new-task"} class="task-form">
      <form method="post" action={action} enctype="multipart/form-data" novalidate {...(props.inline || !taskId ? hx : {})}>
        <input type="hidden" name="next" value={props.back} />
        <FormAlert message={Object.keys(errors).length ? "Please correct the fields marked below." : undefined} />
        <Field id={id("title")} label="Title" error={errors.title}>
          <input id={id("title")} name="title" value={form.title} required maxlength={TITLE_MAX} autocomplete="off" {...describedBy(id("title"), errors.title)} />
        </Field>
        <div class="row">
          <Field id={id("priority")} label="Priority" error={errors.priority}>
            <Select id={id("priority")} name="priority" value={form.priority} options={PRIORITY_OPTIONS} error={errors.priority} />
          </Field>
          <Field id={id("status")} label="Status" error={errors.status}>
            <Select id={id("status")} name="status" value={form.status} options={STATUS_OPTIONS} error={errors.status} />
          </Field>
          <Field id={id("due_date")} label="Due date" error={errors.due_date}>
            <input id={id("due_date")} name="due_date" type="date" value={form.due_date} {...describedBy(id("due_date"), errors.due_date)} />
          </Field>
          <Field id={id("due_time")} label="Time (optional)" error={errors.due_time}>
            <input id={id("due_time")} name="due_time" type="time" value={form.due_time} {...describedBy(id("due_time"), errors.due_time)} />
          </Field>
        </div>
        <div class="field checkbox">
          <input type="hidden" name="reminders" value="off" />
          <label>
            <input type="checkbox" name="reminders" value="on" checked={form.reminders !== "off"} /> Email reminders for this task
          </label>
        </div>
        <RepeatFieldset form={form} errors={errors} id={id} dueDate={form.due_date} />
        <Field id={id("notes")} label="Notes" error={errors.notes}>
          <textarea id={id("notes")} name="notes" rows={3} maxlength={NOTES_MAX} {...describedBy(id("notes"), errors.notes)}>
            {form.notes}
          </textarea>
        </Field>
        <div class="actions">
          <button type="submit" class="primary">
            {taskId ? "Save changes" : "Add task"}
          </button>
          {taskId ? (
            <a class="button" href={props.inline ? props.back : `/tasks/${taskId}`} hx-get={props.inline ? `/tasks/${taskId}` : undefined} hx-target={props.inline ? "closest li" : undefined} hx-swap={props.inline ? "outerHTML" : undefined}>
              Cancel
            </a>
          ) : null}
        </div>
      </form>
    </Wrapper>
  );
}
