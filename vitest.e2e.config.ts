import { defineConfig } from "vitest/config";

// End-to-end journeys in a real browser (playwright-core driving Debian's Chromium) against the
// real Node entry. Kept apart from `npm test`, which needs no browser: `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    // Each journey starts its own server and the machine may be small: one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
