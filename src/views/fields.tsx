import type { Child } from "hono/jsx";

/** A labelled control with its error beside it, tied together for screen readers. */
export function Field(props: { id: string; label: string; error?: string; hint?: string; children: Child }) {
  return (
    <div class={props.error ? "field invalid" : "field"}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && !props.error ? (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${props.id}-error`} class="error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

/** aria attributes for a control whose Field may show an error or hint. */
export function describedBy(id: string, error?: string, hint?: string) {
  const ref = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return { "aria-invalid": error ? "true" : undefined, "aria-describedby": ref };
}

/** A summary at the top of a form, announced when it appears (app.js focuses it on a full page). */
export function FormAlert(props: { message?: string }) {
  return props.message ? (
    <p class="alert" role="alert" tabindex={-1} data-form-alert="">
      {props.message}
    </p>
  ) : null;
}

export function Select(props: {
  id: string;
  name: string;
  value: string;
  options: readonly (readonly [string, string])[];
  error?: string;
}) {
  return (
    <select id={props.id} name={props.name} {...describedBy(props.id, props.error)}>
      {props.options.map(([value, label]) => (
        <option value={value} selected={value === props.value}>
          {label}
        </option>
      ))}
    </select>
  );
}
