import { isKnownTimezone, timezoneNames } from "../tasks/due.js";
import { describedBy } from "./fields.js";

/**
 * The IANA zone list. With `detect`, app.js replaces the UTC default by the browser's own zone,
 * so registering pre-fills it while the form still works without JavaScript.
 */
export function TimezoneSelect(props: { value: string; error?: string; detect?: boolean }) {
  const listed = timezoneNames();
  // A valid alias the list spells differently (Asia/Kolkata vs Asia/Calcutta) is shown as chosen.
  const names = listed.includes(props.value) || !isKnownTimezone(props.value) ? listed : [props.value, ...listed];
  const value = names.includes(props.value) ? props.value : "UTC";
  return (
    <select id="timezone" name="timezone" data-detect-timezone={props.detect ? "" : undefined} {...describedBy("timezone", props.error)}>
      {names.map((name) => (
        <option value={name} selected={name === value}>
          {name.replace(/_/g, " ")}
        </option>
      ))}
    </select>
  );
}
