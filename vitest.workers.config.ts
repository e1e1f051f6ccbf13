import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { POSTMARK_TEST_TOKEN, WORKERD_TEST_PORTS, workerdDatabaseUrl } from "./tests-workerd/ports.js";

// The Worker itself, in workerd, against a real PostgreSQL through the Neon driver and the local
// WebSocket proxy; its mail goes to the Postmark stand-in. `npm run test:workers`.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: workerdDatabaseUrl(),
          NEON_WS_PROXY: `127.0.0.1:${WORKERD_TEST_PORTS.wsProxy}`,
          APP_URL: "http://smarttask.test",
          POSTMARK_SERVER_TOKEN: POSTMARK_TEST_TOKEN,
          POSTMARK_API_URL: `http://127.0.0.1:${WORKERD_TEST_PORTS.postmark}`,
          SIGNING_SECRET: "workerd-tests-signing-secret-0123456789abcdef",
        },
        // A real queue with no consumer: tests send through it to have miniflare check each call.
        queueProducers: { SINK_QUEUE: { queueName: "smarttask-test-sink" } },
      },
    }),
  ],
  test: {
    include: ["tests-workerd/**/*.test.ts"],
    globalSetup: ["tests-workerd/global-setup.ts"],
    // One file at a time: a test counts the database connections the Worker opens through the
    // shared proxy, which another file's requests would add to.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
