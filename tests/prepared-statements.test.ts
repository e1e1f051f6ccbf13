import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { executePrepared, rowsOf } from "../src/db/database.js";
import { makeTestApp } from "./support/test-app.js";

// executePrepared (src/db/database.ts) runs the list's and the views' statements as named prepared
// statements on long-lived connections. These hold what that must never change: each call answers
// its own values, and every statement shape runs, however many a process has seen.

const t = await makeTestApp({ now: "2026-06-15T12:00:00Z" });

describe("prepared list statements", () => {
  it("answers each call with its own values when the same statement runs again", async () => {
    const seen: number[] = [];
    for (const value of [3, 7, 3, 11, 7, 2, 5, 13]) {
      const rows = rowsOf<{ n: number }>(await executePrepared(t.database.db, "prepared_test_same", sql`select ${value}::int * 2 as n`));
      seen.push(Number(rows[0]!.n));
    }
    expect(seen).toEqual([6, 14, 6, 22, 14, 4, 10, 26]);
  });

  it("runs every statement shape, past the number a process prepares (the rest run unnamed)", async () => {
    for (let shape = 0; shape < 260; shape++) {
      const rows = rowsOf<{ n: number }>(
        await executePrepared(t.database.db, "prepared_test_shape", sql`select ${shape}::int + ${sql.raw(String(shape))} as n`),
      );
      expect(Number(rows[0]!.n)).toBe(2 * shape);
    }
  });
});
