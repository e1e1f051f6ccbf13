import { useRequestContext } from "hono/jsx-renderer";
import type { HonoEnv } from "../deps.js";
import { canonicalTimezone, listedZoneAliases, utcOffsetLabel, zonesByRegion } from "../time/zones.js";
import { describedBy } from "./fields.js";

/**
 * The zones by region, each with its offset at the request's now (the injected clock, so DST
 * shows as it is today). With `detect`, app.js replaces the UTC default by the browser's own
 * zone, translating the old spelling a browser may report (Asia/Calcutta) through
 * data-zone-aliases; without JavaScript the form still works.
 */
export function TimezoneSelect(props: { value: string; error?: string; detect?: boolean }) {
  const now = useRequestContext<HonoEnv>().var.deps.clock.now();
  const groups = zonesByRegion();
  // An old spelling (a re-rendered form, a row not yet migrated) selects its current name; a valid
  // zone outside the regions (Etc/GMT+12) stays selectable as stored; anything else shows UTC.
  const value = canonicalTimezone(props.value) ?? "UTC";
  const listed = value === "UTC" || groups.some((g) => g.names.includes(value));
  const extra = listed ? undefined : value;
  // The full name, as people search for it and as tz-aware tools print it: "Asia/Kolkata (UTC+05:30)".
  const option = (name: string) => (
    <option value={name} selected={name === value}>
      {`${name.replace(/_/g, " ")} (${utcOffsetLabel(name, now)})`}
    </option>
  );
  return (
    <select
      id="timezone"
      name="timezone"
      data-detect-timezone={props.detect ? "" : undefined}
      data-zone-aliases={props.detect ? JSON.stringify(listedZoneAliases()) : undefined}
      {...describedBy("timezone", props.error)}
    >
      {extra && option(extra)}
      {option("UTC")}
      {groups.map((g) => (
        <optgroup label={g.region}>{g.names.map(option)}</optgroup>
      ))}
    </select>
  );
}
