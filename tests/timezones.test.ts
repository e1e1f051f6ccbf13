import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../src/db/schema.js";
import { runReminders } from "../src/reminders/scan.js";
import { dbTask, signedIn } from "./support/tasks.js";
import { APP_URL, makeTestApp, uniqueEmail } from "./support/test-app.js";

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const storedZone = async (email: string) =>
  (await t.database.db.select({ tz: users.timezone }).from(users).where(eq(users.email, email)))[0]?.tz;

describe("timezones: only names PostgreSQL knows are stored", () => {
  it("stores the canonical name of an alias a browser reports, and of a name PostgreSQL has dropped", async () => {
    for (const [typed, stored] of [
      ["Asia/Kolkata", "Asia/Calcutta"],
      ["US/Pacific-New", "America/Los_Angeles"],
      ["Etc/GMT+12", "Etc/GMT+12"],
    ] as const) {
      const email = uniqueEmail();
      await t.browser().register({ email, timezone: typed });
      expect(await storedZone(email)).toBe(stored);
    }
  });

  it("refuses a name Intl accepts but the database may not (SystemV/AST4), keeping what was typed", async () => {
    const res = await t.browser().post("/register", { name: "Sam", email: uniqueEmail(), password: "correct horse battery", timezone: "SystemV/AST4" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Choose a timezone from the list.");
  });

  it("changes zone in settings atomically with the tasks' due moments, and the scan keeps working for everyone", async () => {
    const { browser, email } = await signedIn(t, "Europe/Paris");
    const id = await browser.createTask({ title: "Zone-bound", due_date: "2026-06-20" });
    const res = await browser.post("/settings", { name: "Pat", timezone: "Canada/East-Saskatchewan" });
    expect(res.status).toBe(303);
    expect(await storedZone(email)).toBe("America/Regina");
    // End of 2026-06-20 in Regina (UTC−6, no DST).
    expect((await dbTask(t, id))!.dueAt!.toISOString()).toBe("2026-06-21T05:59:59.999Z");
    const result = await runReminders({ database: t.database, mailer: t.mailer, config: { appUrl: new URL(APP_URL) } }, new Date("2026-06-18T15:00:00Z"));
    expect(result.usersScanned).toBeGreaterThanOrEqual(1);
  });
});
