import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT_LIMITS, takeAccountAction } from "../src/auth/account-limits.js";
import { actionLimits } from "../src/db/schema.js";
import { APP_URL, makeTestApp } from "./support/test-app.js";

// The account limits' counting (src/db/action-limits.ts), below the flows that use it.
const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });
const deps = { database: t.database, config: { appUrl: new URL(APP_URL) } };
const MAX = ACCOUNT_LIMITS.verifyMail.account.max;
const WINDOW = ACCOUNT_LIMITS.verifyMail.account.windowMs;

const counted = async (account: string) =>
  (await t.database.db.select().from(actionLimits).where(and(eq(actionLimits.action, "verifyMail"), eq(actionLimits.subject, `u:${account}`)))).length;

describe("account limits", () => {
  it(`allows ${MAX} in the window, then refuses with the wait until the oldest leaves it, without counting the refusal`, async () => {
    const account = crypto.randomUUID();
    const start = t.clock.now();
    for (let i = 0; i < MAX; i++) {
      expect(await takeAccountAction(deps, "verifyMail", { account }, new Date(start.getTime() + i * 1000))).toBeNull();
    }
    const later = new Date(start.getTime() + 60_000);
    expect(await takeAccountAction(deps, "verifyMail", { account }, later)).toBe((WINDOW - 60_000) / 1000);
    expect(await counted(account)).toBe(MAX);
    // Once the first has left the window, one more is allowed.
    expect(await takeAccountAction(deps, "verifyMail", { account }, new Date(start.getTime() + WINDOW + 500))).toBeNull();
  });

  it("holds under a burst of parallel requests: exactly the limit, never more and never fewer", async () => {
    const account = crypto.randomUUID();
    const now = t.clock.now();
    // Every pooled connection open first, so the burst really runs side by side on PostgreSQL.
    await Promise.all(Array.from({ length: 10 }, () => t.database.db.execute(sql`select pg_sleep(0.05)`)));
    const answers = await Promise.all(Array.from({ length: 8 * MAX }, () => takeAccountAction(deps, "verifyMail", { account }, now)));
    // More would let a flood through; fewer would refuse someone the limit promised a mail.
    expect(answers.filter((a) => a === null).length).toBe(MAX);
    expect(await counted(account)).toBe(MAX);
  });
});
