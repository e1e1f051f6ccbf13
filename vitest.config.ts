import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    globalSetup: ["tests/support/global-setup.ts"],
    // argon2id at OWASP cost and a real PostgreSQL make some tests take a few hundred ms.
    testTimeout: 30_000,
    // Structured logs are printed only for failing tests.
    silent: "passed-only",
    hookTimeout: 60_000,
  },
});
