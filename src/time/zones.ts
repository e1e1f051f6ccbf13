import { getAllTimezones, type Timezone } from "countries-and-timezones";
import { DateTime } from "luxon";

// Zone names come from the tz database as packaged by countries-and-timezones, not from Intl:
// Node's and Chromium's Intl still canonicalise to CLDR's old spellings (Asia/Kolkata resolves
// to Asia/Calcutta, Europe/Kyiv to Europe/Kiev), which is what users used to see.

const zones: Record<string, Timezone> = getAllTimezones({ deprecated: true });

/** The tz database's geographic folders; the picker groups by them. */
export const REGIONS = ["Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"] as const;
const regionOf = (name: string) => REGIONS.find((r) => name.startsWith(`${r}/`));

/**
 * A link that names a different country's place is a place of its own, not an old spelling:
 * tzdb links Europe/Oslo to Europe/Berlin only because their clocks agree since 1970, and a
 * Norwegian looks for Oslo. Links within one country (Asia/Calcutta to Asia/Kolkata, Europe/Kiev
 * to Europe/Kyiv, US/Pacific to America/Los_Angeles) are renames, and so are country-less links
 * outside the regions (Etc/Universal, Zulu).
 */
function isOwnPlace(zone: Timezone): boolean {
  const target = zone.aliasOf ? zones[zone.aliasOf] : undefined;
  if (!target) return true;
  if (!regionOf(zone.name) || zone.countries.length === 0) return false;
  return !zone.countries.includes(target.countries[0]!);
}

let currentNames: Map<string, string> | undefined;

/** Every name the package knows → the name we store for it. */
function currentNameMap(): Map<string, string> {
  if (currentNames) return currentNames;
  const map = new Map<string, string>();
  // Places of their own sharing a country and a zone are one place spelt twice (Africa/Asmara and
  // Africa/Asmera, Pacific/Pohnpei and Pacific/Ponape): the first by name is today's spelling
  // (a test pins the known pairs, so a package update that breaks this fails it).
  const places = new Map<string, string[]>();
  for (const zone of Object.values(zones)) {
    if (!zone.aliasOf) map.set(zone.name, zone.name === "Etc/UTC" ? "UTC" : zone.name);
    else if (isOwnPlace(zone)) {
      const key = `${zone.countries.join()}>${zone.aliasOf}`;
      places.set(key, [...(places.get(key) ?? []), zone.name]);
    }
  }
  for (const names of places.values()) {
    const [first] = names.sort();
    for (const name of names) map.set(name, first!);
  }
  for (const zone of Object.values(zones)) {
    if (map.has(zone.name)) continue;
    const viaIntl = placeViaIntl(zone.name);
    map.set(zone.name, (viaIntl && map.get(viaIntl)) ?? map.get(zone.aliasOf!)!);
  }
  currentNames = map;
  return map;
}

/** A legacy name outside the regions (Iceland) may stand for a place of its own (Atlantic/Reykjavik). */
function placeViaIntl(name: string): string | undefined {
  if (regionOf(name)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved !== name && Object.hasOwn(zones, resolved) && regionOf(resolved) && isOwnPlace(zones[resolved]!) ? resolved : undefined;
}

/** The name we store for a zone the package knows. */
function currentName(name: string): string {
  return currentNameMap().get(name)!;
}

/**
 * The current IANA name of a zone, or null when it is not one we can compute with. Old spellings
 * (Asia/Calcutta, Europe/Kiev, Asia/Saigon, America/Godthab) map to today's names; names only Intl
 * knows (US/Pacific-New) map through Intl's answer; the result must work in luxon, whose Intl
 * (Node 24) accepts every current name, and in PostgreSQL's `at time zone` (a test checks both
 * for every zone we list), because one bad stored name would fail every reminder scan.
 */
export function canonicalTimezone(name: string): string | null {
  if (name.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/.test(name)) return null;
  let known = Object.hasOwn(zones, name) ? name : undefined;
  if (!known) {
    try {
      known = new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      return null;
    }
    if (known === "UTC") return "UTC";
    if (!Object.hasOwn(zones, known)) return null;
  }
  const current = currentName(known);
  return DateTime.fromMillis(0, { zone: current }).isValid ? current : null;
}

export function isKnownTimezone(name: string): boolean {
  return canonicalTimezone(name) !== null;
}

export interface RegionZones {
  region: string;
  names: string[];
}

let listed: RegionZones[] | undefined;

/** Every zone the picker offers (UTC aside), by region, each under its current name. */
export function zonesByRegion(): RegionZones[] {
  listed ??= REGIONS.map((region) => ({
    region,
    names: Object.values(zones)
      .filter((z) => regionOf(z.name) === region && currentName(z.name) === z.name && DateTime.fromMillis(0, { zone: z.name }).isValid)
      .map((z) => z.name)
      .sort(),
  })).filter((g) => g.names.length > 0);
  return listed;
}

let aliases: Record<string, string> | undefined;

/** Old spelling → current name, for every listed zone that has one (Asia/Calcutta → Asia/Kolkata). */
export function listedZoneAliases(): Record<string, string> {
  if (!aliases) {
    const names = new Set(zonesByRegion().flatMap((g) => g.names));
    aliases = {};
    for (const z of Object.values(zones)) {
      const current = currentName(z.name);
      if (current !== z.name && (names.has(current) || current === "UTC")) aliases[z.name] = current;
    }
  }
  return aliases;
}

/** Every stored-name rename (old → current): what migration 0004 applies to users.timezone. */
export function zoneRenames(): [string, string][] {
  return Object.keys(zones)
    .filter((name) => name !== "UTC" && currentName(name) !== name)
    .map((name) => [name, currentName(name)]);
}

const QUARTER_HOUR = 15 * 60 * 1000;
let labels: { quarter: number; byZone: Map<string, string> } | undefined;

/**
 * The zone's offset at `now`, as the picker shows it: "UTC+05:30", "UTC-03:00". The ~420 look-ups
 * of one picker cost about 5 ms, so answers are kept for the quarter hour: offsets are whole
 * quarter hours and clocks change on a local hour or half hour, so every change falls on a UTC
 * quarter hour, never inside one.
 */
export function utcOffsetLabel(name: string, now: Date): string {
  const quarter = Math.floor(now.getTime() / QUARTER_HOUR);
  if (labels?.quarter !== quarter) labels = { quarter, byZone: new Map() };
  let label = labels.byZone.get(name);
  if (label === undefined) {
    label = offsetLabel(name, now);
    labels.byZone.set(name, label);
  }
  return label;
}

function offsetLabel(name: string, now: Date): string {
  const minutes = DateTime.fromJSDate(now, { zone: name }).offset;
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
