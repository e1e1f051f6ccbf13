import { sql } from "drizzle-orm";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { errorForLog } from "../src/log.js";
import { makeTestApp } from "./support/test-app.js";

const t = await makeTestApp();

describe("error logs", () => {
  it("never carry a failed query's parameters (tokens, hashes, email bodies), only the driver's error", () => {
    const failed = new DrizzleQueryError("insert into sessions values ($1, $2)", ["id", "secret-hash-abc"], new Error("connection reset"));
    const logged = JSON.stringify(errorForLog(failed));
    expect(logged).toContain("connection reset");
    expect(logged).not.toContain("secret-hash-abc");
    expect(logged).not.toContain("insert into sessions");
  });

  it("say only that a statement failed when the query error has no driver error underneath", () => {
    const failed = new DrizzleQueryError("insert into reminder_outbox values ($1)", ["<html>signed-token-xyz</html>"]);
    const logged = errorForLog(failed);
    expect(logged.message).toBe("a database statement failed");
    expect(JSON.stringify(logged)).not.toMatch(/signed-token-xyz|reminder_outbox/);
  });

  it("find the query error under another error, and print one bounded line", () => {
    const driver = Object.assign(new Error('malformed array literal: "{\\"token-abc\\",\\"token-def\\"}"\nDETAIL: more'), { code: "22P02" });
    const wrapped = new Error("batch failed", { cause: new DrizzleQueryError("select $1", ["token-abc"], driver) });
    const outer = new DrizzleQueryError("select 1", [], wrapped);
    const logged = errorForLog(outer);
    expect(logged.message).toBe("batch failed");
    expect(errorForLog(wrapped.cause)).toMatchObject({ message: 'malformed array literal: "…" DETAIL: more', code: "22P02" });
    expect(errorForLog(new Error("x".repeat(5000))).message.length).toBeLessThanOrEqual(301);
  });

  it("a real failed statement on this database logs neither its SQL nor the value it choked on", async () => {
    const secret = `signed-link-${crypto.randomUUID()}`;
    const err = await t.database.db.execute(sql`select ${secret}::uuid as id`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(secret); // what Drizzle would print
    const logged = errorForLog(err);
    expect(logged.message).toMatch(/invalid input syntax for type uuid/);
    expect(JSON.stringify(logged)).not.toContain(secret);
    expect(JSON.stringify(logged)).not.toMatch(/select|::uuid as id/);
    expect(logged.message).not.toContain("\n");
  });
});
