import { MAX_COUNT, MAX_EVERY, noRepeat, ruleFromFields, type RepeatErrors, type RepeatFields } from "../recurrence/form.js";
import { WEEKDAY_CODES } from "../recurrence/rule.js";
import { describeRule } from "../recurrence/rule-words.js";
import { describedBy } from "./fields.js";

const KINDS: [string, string][] = [
  ["never", "Never"],
  ["daily", "Daily"],
  ["weekdays", "Every weekday (Monday to Friday)"],
  ["weekly", "Weekly"],
  ["monthly", "Monthly"],
  ["yearly", "Yearly, on the same day"],
];
const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const NTH: [string, string][] = [
  ["1", "first"],
  ["2", "second"],
  ["3", "third"],
  ["4", "fourth"],
  ["-1", "last"],
];

/**
 * The task form's Repeat fields (src/recurrence/form.ts reads them): how often, on which days,
 * counted from the due date or from completion, and when it ends. Folded away for a task that
 * does not repeat; open when it does or when a field has an error. Everything works without
 * JavaScript: the fields are plain controls, read when the form is posted.
 */
export function RepeatFieldset(props: { form: Partial<RepeatFields>; errors: RepeatErrors; id: (name: string) => string; dueDate: string }) {
  const f = { ...noRepeat(), ...props.form };
  const { errors, id } = props;
  const built = f.repeat && f.repeat !== "never" ? ruleFromFields(f, props.dueDate || null) : null;
  const words = built?.ok && built.rrule ? describeRule(built.rrule, built.repeatFrom) : null;
  const days = f.repeat_days.split(",");
  // The whole task form's errors come in; only the Repeat fields' concern this part.
  const invalid = Object.keys(errors).some((k) => k.startsWith("repeat") && errors[k as keyof RepeatErrors]);
  const open = (f.repeat !== "never" && f.repeat !== "") || invalid;
  const error = (name: keyof RepeatFields) =>
    errors[name] ? (
      <small id={`${id(name)}-error`} class="error">
        {errors[name]}
      </small>
    ) : null;
  const radio = (name: keyof RepeatFields, value: string, label: string, checked: boolean) => (
    <label class="choice">
      <input type="radio" name={name} value={value} checked={checked} /> {label}
    </label>
  );
  return (
    <details class="repeat-fields" open={open}>
      <summary>
        Repeat: <span class="repeat-words">{words ?? (f.repeat === "custom" ? describeRule(f.repeat_rule, f.repeat_from === "completion" ? "completion" : "due") : "never")}</span>
      </summary>
      <fieldset class={invalid ? "invalid" : undefined}>
        <legend class="visually-hidden">Repeat</legend>
        <div class={errors.repeat ? "field invalid" : "field"}>
          <label for={id("repeat")}>Repeats</label>
          <select id={id("repeat")} name="repeat" {...describedBy(id("repeat"), errors.repeat)}>
            {KINDS.map(([value, label]) => (
              <option value={value} selected={f.repeat === value || (value === "never" && f.repeat === "")}>
                {label}
              </option>
            ))}
            {f.repeat === "custom" ? (
              <option value="custom" selected>
                As it is: {describeRule(f.repeat_rule, "due").replace(/, from the due date$/, "")}
              </option>
            ) : null}
          </select>
          {error("repeat")}
          <input type="hidden" name="repeat_rule" value={f.repeat_rule} />
        </div>
        <div class={errors.repeat_every ? "field invalid" : "field"}>
          <label for={id("repeat_every")}>Every (days, weeks, months or years)</label>
          <input id={id("repeat_every")} name="repeat_every" type="number" min="1" max={MAX_EVERY} inputmode="numeric" value={f.repeat_every} class="short" {...describedBy(id("repeat_every"), errors.repeat_every)} />
          {error("repeat_every")}
        </div>
        <fieldset class="choices" aria-describedby={errors.repeat_days ? `${id("repeat_days")}-error` : undefined}>
          <legend>Weekly on (none ticked: the weekday it is first due)</legend>
          {WEEKDAY_CODES.map((code, i) => (
            <label class="choice">
              <input type="checkbox" name="repeat_days" value={code} checked={days.includes(code)} /> {DAY_NAMES[i]}
            </label>
          ))}
          {error("repeat_days")}
        </fieldset>
        <fieldset class="choices">
          <legend>Monthly on</legend>
          <label class="choice">
            <input type="radio" name="repeat_monthly" value="day" checked={f.repeat_monthly === "day"} /> day{" "}
            <input
              name="repeat_month_day"
              type="number"
              min="1"
              max="31"
              inputmode="numeric"
              class="short"
              aria-label="Day of the month"
              value={f.repeat_month_day}
              {...describedBy(id("repeat_month_day"), errors.repeat_month_day)}
            />{" "}
            (blank: the day it is first due; the 29th to 31st fall on the last day of shorter months)
          </label>
          {error("repeat_month_day")}
          {radio("repeat_monthly", "last_day", "the last day", f.repeat_monthly === "last_day")}
          {radio("repeat_monthly", "first_weekday", "the first weekday", f.repeat_monthly === "first_weekday")}
          {radio("repeat_monthly", "last_weekday", "the last weekday", f.repeat_monthly === "last_weekday")}
          <label class="choice">
            <input type="radio" name="repeat_monthly" value="nth_weekday" checked={f.repeat_monthly === "nth_weekday"} /> the{" "}
            <select name="repeat_nth" aria-label="Which one">
              {NTH.map(([value, label]) => (
                <option value={value} selected={f.repeat_nth === value}>
                  {label}
                </option>
              ))}
            </select>{" "}
            <select name="repeat_nth_day" aria-label="Weekday">
              {WEEKDAY_CODES.map((code, i) => (
                <option value={code} selected={f.repeat_nth_day === code}>
                  {DAY_NAMES[i]}
                </option>
              ))}
            </select>
          </label>
          {error("repeat_monthly")}
        </fieldset>
        <fieldset class="choices">
          <legend>Next one counts from</legend>
          {radio("repeat_from", "due", "the day it was due", f.repeat_from !== "completion")}
          {radio("repeat_from", "completion", "the day it is completed", f.repeat_from === "completion")}
        </fieldset>
        <fieldset class="choices">
          <legend>Ends</legend>
          {radio("repeat_end", "never", "never", f.repeat_end !== "count" && f.repeat_end !== "until")}
          <label class="choice">
            <input type="radio" name="repeat_end" value="count" checked={f.repeat_end === "count"} /> after{" "}
            <input name="repeat_count" type="number" min="1" max={MAX_COUNT} inputmode="numeric" class="short" aria-label="Number of times" value={f.repeat_count} {...describedBy(id("repeat_count"), errors.repeat_count)} /> times
          </label>
          {error("repeat_count")}
          <label class="choice">
            <input type="radio" name="repeat_end" value="until" checked={f.repeat_end === "until"} /> on{" "}
            <input name="repeat_until" type="date" aria-label="Last date" value={f.repeat_until} {...describedBy(id("repeat_until"), errors.repeat_until)} />
          </label>
          {error("repeat_until")}
        </fieldset>
      </fieldset>
    </details>
  );
}
