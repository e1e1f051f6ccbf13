import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../src/db/database.js";
import { users } from "../src/db/schema.js";
import { scanReminders } from "../src/reminders/scan.js";
import { zoneRenames, zonesByRegion } from "../src/time/zones.js";
import { at, jobDeps, makeUser, outboxOf } from "./support/reminder-jobs.js";
import { dbTask, decode, formValue, signedIn } from "./support/tasks.js";
import { APP_URL, makeTestApp, textOf, uniqueEmail } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const storedZone = async (email: string) =>
  (await t.database.db.select({ tz: users.timezone }).from(users).where(eq(users.email, email)))[0]?.tz;

/** The <option> for `zone` in a page's zone picker, and the optgroup it sits in. */
function pickerEntry(html: string, zone: string) {
  const option = html.match(new RegExp(`<option value="${zone}"( selected="")?>([^<]*)</option>`));
  const before = html.slice(0, option?.index ?? 0);
  const group = [...before.matchAll(/<optgroup label="([^"]*)">/g)].at(-1)?.[1];
  return option ? { text: option[2], selected: option[1] !== undefined, group } : null;
}

// Each rename the issue names: current name, the old spelling engines still report, the offset in
// June 2026, and a due time of 23:30 local today (15 June) as a UTC instant.
const RENAMES = [
  { zone: "Asia/Kolkata", old: "Asia/Calcutta", offset: "UTC+05:30", dueAt: "2026-06-15T18:00:00.000Z", hoursLeft: 6 },
  { zone: "Europe/Kyiv", old: "Europe/Kiev", offset: "UTC+03:00", dueAt: "2026-06-15T20:30:00.000Z", hoursLeft: 9 },
  { zone: "Asia/Ho_Chi_Minh", old: "Asia/Saigon", offset: "UTC+07:00", dueAt: "2026-06-15T16:30:00.000Z", hoursLeft: 5 },
  { zone: "America/Nuuk", old: "America/Godthab", offset: "UTC-01:00", dueAt: "2026-06-16T00:30:00.000Z", hoursLeft: 13 },
] as const;

describe("timezones: current IANA names, end to end", () => {
  for (const r of RENAMES) {
    it(`${r.zone}: stored, shown selected in settings, due labels and the digest hour in that zone`, async () => {
      const { browser, email, userId } = await signedIn(t, r.zone);
      expect(await storedZone(email)).toBe(r.zone);

      const settings = await (await browser.get("/settings")).text();
      expect(formValue(settings, "timezone")).toBe(r.zone);
      expect(settings).not.toContain(r.old);

      const id = await browser.createTask({ title: `Tonight ${r.zone}`, due_date: "2026-06-15", due_time: "23:30" });
      expect((await dbTask(t, id))!.dueAt!.toISOString()).toBe(r.dueAt);
      expect(textOf(await (await browser.get("/tasks")).text())).toContain(`today, in ${r.hoursLeft} hours`);

      // The digest goes out at the user's reminder hour (8:00 by default) on their local date.
      await browser.createTask({ title: `Tomorrow ${r.zone}`, due_date: "2026-06-17" });
      const deps = jobDeps(t);
      await scanReminders(deps, at("2026-06-16T07:59", r.zone));
      expect(await outboxOf(t, userId)).toEqual([]);
      await scanReminders(deps, at("2026-06-16T08:00", r.zone));
      const rows = await outboxOf(t, userId);
      expect(rows.map((row) => [row.kind, row.localDate])).toEqual([["digest", "2026-06-16"]]);
      expect(rows[0]!.textBody).toContain(`Tomorrow ${r.zone}`);
    });
  }

  it("stores the current name when a browser or an old form sends the old spelling, at registration and in settings", async () => {
    for (const r of RENAMES) {
      const email = uniqueEmail();
      await t.browser().register({ email, timezone: r.old });
      expect(await storedZone(email)).toBe(r.zone);
    }
    const { browser, email } = await signedIn(t, "UTC");
    expect((await browser.post("/settings", { name: "Pat", timezone: "Asia/Calcutta" })).status).toBe(303);
    expect(await storedZone(email)).toBe("Asia/Kolkata");
    expect((await browser.post("/settings", { name: "Pat", timezone: "Pacific/Ponape" })).status).toBe(303);
    expect(await storedZone(email)).toBe("Pacific/Pohnpei");
  });

  it("stores the canonical name of a name PostgreSQL has dropped, and keeps fixed offsets", async () => {
    for (const [typed, stored] of [
      ["US/Pacific-New", "America/Los_Angeles"],
      ["Etc/GMT+12", "Etc/GMT+12"],
    ] as const) {
      const email = uniqueEmail();
      await t.browser().register({ email, timezone: typed });
      expect(await storedZone(email)).toBe(stored);
    }
  });

  it("keeps a place linked to another country's zone under its own name (Europe/Oslo is not Berlin)", async () => {
    const email = uniqueEmail();
    await t.browser().register({ email, timezone: "Europe/Oslo" });
    expect(await storedZone(email)).toBe("Europe/Oslo");
  });

  it("changes zone in settings atomically with the tasks' due moments, and the scan keeps working for everyone", async () => {
    const { browser, email } = await signedIn(t, "Europe/Paris");
    const id = await browser.createTask({ title: "Zone-bound", due_date: "2026-06-20" });
    const res = await browser.post("/settings", { name: "Pat", timezone: "Canada/East-Saskatchewan" });
    expect(res.status).toBe(303);
    expect(await storedZone(email)).toBe("America/Regina");
    // End of 2026-06-20 in Regina (UTC−6, no DST).
    expect((await dbTask(t, id))!.dueAt!.toISOString()).toBe("2026-06-21T05:59:59.999Z");
    const result = await scanReminders({ database: t.database, mailer: t.mailer, config: { appUrl: new URL(APP_URL) } }, new Date("2026-06-18T15:00:00Z"));
    expect(result.usersScanned).toBeGreaterThanOrEqual(1);
  });
});

describe("timezones: the picker", () => {
  it("groups current names by region, each with its UTC offset at the request's now", async () => {
    const html = await (await t.browser().get("/register")).text();
    for (const r of RENAMES) {
      expect(pickerEntry(html, r.zone)).toMatchObject({ group: r.zone.split("/")[0], text: `${r.zone.replace(/_/g, " ")} (${r.offset})` });
      expect(pickerEntry(html, r.old)).toBeNull();
    }
    expect(pickerEntry(html, "America/Argentina/Buenos_Aires")).toMatchObject({ group: "America", text: "America/Argentina/Buenos Aires (UTC-03:00)" });
    expect(pickerEntry(html, "Asia/Kathmandu")?.text).toBe("Asia/Kathmandu (UTC+05:45)");
    expect(pickerEntry(html, "UTC")).toMatchObject({ selected: true, group: undefined });
    // Places linked to another country's zone are listed under their own names, once each.
    for (const zone of ["Europe/Oslo", "Africa/Accra", "Africa/Asmara", "Pacific/Pohnpei", "Pacific/Chuuk", "Arctic/Longyearbyen", "America/St_Thomas"]) {
      expect(pickerEntry(html, zone), zone).not.toBeNull();
    }
    for (const zone of ["Europe/Kiev", "Africa/Asmera", "Pacific/Ponape", "Pacific/Truk", "Pacific/Yap", "Atlantic/Jan_Mayen", "America/Virgin", "US/Pacific"]) {
      expect(pickerEntry(html, zone), zone).toBeNull();
    }

    // In January Kyiv is on winter time: the offset is the one in force now, not a fixed one.
    t.clock.set("2027-01-10T12:00:00Z");
    try {
      const winter = await (await t.browser().get("/register")).text();
      expect(pickerEntry(winter, "Europe/Kyiv")?.text).toBe("Europe/Kyiv (UTC+02:00)");
    } finally {
      t.clock.set("2026-06-15T12:00:00Z");
    }
  });

  it("pre-selects the current name when the browser reports the old one (Chromium: Asia/Calcutta)", async () => {
    const html = await (await t.browser().get("/register")).text();
    const aliases = JSON.parse(decode(html.match(/data-zone-aliases="([^"]*)"/)![1]!)) as Record<string, string>;
    expect(aliases["Asia/Calcutta"]).toBe("Asia/Kolkata");

    const select = fakeSelect(["UTC", "Asia/Kolkata", "Europe/Kyiv"], { zoneAliases: JSON.stringify(aliases) });
    runAppJs("Asia/Calcutta", select);
    expect(select.value).toBe("Asia/Kolkata");
    expect(select.options.map((o) => o.value)).toEqual(["UTC", "Asia/Kolkata", "Europe/Kyiv"]);
  });

  it("lists only zones that luxon and the database's `at time zone` both compute with", async () => {
    const names = ["UTC", ...zonesByRegion().flatMap((g) => g.names)];
    expect(names.length).toBeGreaterThan(400);
    expect(names.filter((n) => !DateTime.fromMillis(0, { zone: n }).isValid)).toEqual([]);
    const list = sql.join(
      names.map((n) => sql`(${n})`),
      sql`, `,
    );
    // An unknown name would make the whole statement fail, as it would fail a reminder scan.
    const rows = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(now() at time zone z.name)::int as n from (values ${list}) as z(name)`));
    expect(rows[0]!.n).toBe(names.length);
  });
});

describe("timezones: stored old names are migrated", () => {
  const migration = readFileSync(new URL("../drizzle/0004_zone_names.sql", import.meta.url), "utf8");

  it("rewrites stored old spellings to current names and leaves places of their own alone", async () => {
    const saigon = await makeUser(t, { timezone: "Asia/Saigon" });
    const godthab = await makeUser(t, { timezone: "America/Godthab" });
    const oslo = await makeUser(t, { timezone: "Europe/Oslo" });
    await t.database.db.execute(sql.raw(migration));
    const zoneOf = async (id: string) => (await t.database.db.select({ tz: users.timezone }).from(users).where(eq(users.id, id)))[0]!.tz;
    expect(await zoneOf(saigon.id)).toBe("Asia/Ho_Chi_Minh");
    expect(await zoneOf(godthab.id)).toBe("America/Nuuk");
    expect(await zoneOf(oslo.id)).toBe("Europe/Oslo");
  });

  it("renames exactly what the app renames on input", () => {
    const pairs = [...migration.matchAll(/\('([^']+)', '([^']+)'\)/g)].map((m) => [m[1], m[2]]);
    expect(pairs.sort()).toEqual(zoneRenames().sort());
  });
});

describe("timezones: errors", () => {
  it("refuses a name Intl accepts but the database may not (SystemV/AST4), keeping what was typed", async () => {
    const res = await t.browser().post("/register", { name: "Sam", email: uniqueEmail(), password: "correct horse battery", timezone: "SystemV/AST4" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Choose a timezone from the list.");
  });
});

// --- app.js's detectTimezone, run against a minimal stand-in for the DOM ---------------------------

interface FakeOption {
  text: string;
  value: string;
}

function fakeSelect(values: string[], dataset: Record<string, string>) {
  const select = {
    dataset,
    options: values.map((value): FakeOption => ({ text: value, value })),
    value: values[0]!,
    prepend(option: FakeOption) {
      select.options.unshift(option);
    },
  };
  return select;
}

function runAppJs(browserZone: string, select: ReturnType<typeof fakeSelect>) {
  const listeners = new Map<string, () => void>();
  const document = {
    documentElement: { classList: { add() {} } },
    addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
    querySelectorAll: (selector: string) => (selector === "select[data-detect-timezone]" ? [select] : []),
    getElementById: () => null,
    querySelector: () => null,
  };
  const Intl = { DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: browserZone }) }) };
  const Option = function (this: FakeOption, text: string, value: string) {
    this.text = text;
    this.value = value;
  };
  runInNewContext(readFileSync(new URL("../static/app.js", import.meta.url), "utf8"), { document, Intl, Option, Element: class {}, HTMLDialogElement: class {} });
  listeners.get("DOMContentLoaded")!();
}
