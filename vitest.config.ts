import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    globalSetup: ["tests/support/global-setup.ts"],
    // argon2id at OWASP cost (about 65 ms a hash): the lock-out tests make over 100 sign-in
    // attempts, which on a busy 2-core machine took past 30 s.
    testTimeout: 90_000,
    // Structured logs are printed only for failing tests.
    silent: "passed-only",
    hookTimeout: 60_000,
  },
});
