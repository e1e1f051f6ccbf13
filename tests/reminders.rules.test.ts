import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { rowsOf } from "../src/db/database.js";
import { receivesRemindersSql, taskGetsRemindersSql } from "../src/db/reminder-rules.js";
import { receivesReminders, taskGetsReminders } from "../src/reminders/slots.js";
import { openTestDatabase } from "./support/database.js";

// Who and what gets reminders is written in SQL (the scan, the sender) and in TypeScript (the
// task page's "Next reminder"); both must answer alike for every combination of the columns.
const database = await openTestDatabase();
afterAll(() => database.close());

describe("reminder eligibility: SQL and TypeScript agree", () => {
  it("a user receives reminders only when turned on, not paused, and with a verified address", async () => {
    const verifiedAt = new Date("2026-01-01T00:00:00Z");
    const users = [true, false].flatMap((remindersEnabled) =>
      [null, "inactive recipient"].flatMap((remindersPausedReason) =>
        [verifiedAt, null].map((emailVerifiedAt) => ({ remindersEnabled, remindersPausedReason, emailVerifiedAt })),
      ),
    );
    const rows = rowsOf<{ yes: boolean }>(
      await database.db.execute(sql`select ${receivesRemindersSql("u")} as yes
        from json_to_recordset(${JSON.stringify(
          users.map((u, n) => ({ n, reminders_enabled: u.remindersEnabled, reminders_paused_reason: u.remindersPausedReason, email_verified_at: u.emailVerifiedAt })),
        )}::json)
          as u(n int, reminders_enabled boolean, reminders_paused_reason text, email_verified_at timestamptz) order by u.n`),
    );
    expect(rows.map((r) => r.yes)).toEqual(users.map(receivesReminders));
    expect(users.map(receivesReminders)).toEqual([true, false, false, false, false, false, false, false]);
  });

  it("a task gets reminders only while open and with its reminders on", async () => {
    const tasks = ["todo", "in_progress", "done"].flatMap((status) => [true, false].map((remindersEnabled) => ({ status, remindersEnabled })));
    const rows = rowsOf<{ yes: boolean }>(
      await database.db.execute(sql`select ${taskGetsRemindersSql("t")} as yes
        from json_to_recordset(${JSON.stringify(tasks.map((t, n) => ({ n, status: t.status, reminders_enabled: t.remindersEnabled })))}::json)
          as t(n int, status text, reminders_enabled boolean) order by t.n`),
    );
    expect(rows.map((r) => r.yes)).toEqual(tasks.map(taskGetsReminders));
    expect(tasks.map(taskGetsReminders)).toEqual([true, false, true, false, false, false]);
  });
});
