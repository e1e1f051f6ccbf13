import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { errorForLog } from "../src/log.js";

describe("error logs", () => {
  it("never carry a failed query's parameters (tokens, hashes, email bodies), only the driver's error", () => {
    const failed = new DrizzleQueryError("insert into sessions values ($1, $2)", ["id", "secret-hash-abc"], new Error("connection reset"));
    const logged = JSON.stringify(errorForLog(failed));
    expect(logged).toContain("connection reset");
    expect(logged).not.toContain("secret-hash-abc");
    expect(logged).not.toContain("insert into sessions");
  });
});
