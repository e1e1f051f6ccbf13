import { accessSync, constants, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context } from "hono";
import { createApp } from "../app.js";
import { loadArgon2ForNode } from "../auth/argon2-node.js";
import { createPasswordHasher } from "../auth/password.js";
import { systemClock } from "../clock.js";
import { openNodeDatabase } from "../db/node-database.js";
import { ConfigError, parseNodeEnv } from "./node-env.js";

/** The Node entry: reads the environment, builds the dependencies, serves the app and static/. */
async function main() {
  const env = parseNodeEnv(process.env);
  const appUrl = new URL(env.APP_URL ?? `http://localhost:${env.PORT}`);
  // Without APP_URL the app is local: both spellings of loopback count as its own origin.
  const extraOrigins = env.APP_URL ? [] : [`http://127.0.0.1:${env.PORT}`];

  if (!env.DATABASE_URL) ensureWritable(env.DATA_DIR);
  const database = await openNodeDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }).catch((err: Error) => {
    throw new ConfigError(`could not open the database (${env.DATABASE_URL ? "DATABASE_URL" : `DATA_DIR ${env.DATA_DIR}`}): ${err.message}`);
  });

  const trustProxy = env.TRUST_PROXY === "true";
  const clientIp = (c: Context) => {
    // Behind a reverse proxy the socket is the proxy; its X-Forwarded-For last hop is the client.
    if (trustProxy) {
      const hop = c.req.header("x-forwarded-for")?.split(",").pop()?.trim();
      if (hop) return hop;
    }
    return getConnInfo(c).remote.address ?? "unknown";
  };

  const app = createApp(
    { database, clock: systemClock, config: { appUrl }, passwords: createPasswordHasher(loadArgon2ForNode), clientIp },
    { extraOrigins },
  );
  const server = new (await import("hono")).Hono();
  server.use("*", serveStatic({ root: "./static" }));
  server.route("/", app);

  const http = serve({ fetch: server.fetch, port: env.PORT }, () => {
    console.log(`SmartTask is running at ${appUrl.origin} (database: ${env.DATABASE_URL ? "PostgreSQL" : `embedded, ${resolve(env.DATA_DIR)}`})`);
  });
  http.on("error", (err: NodeJS.ErrnoException) => {
    fail(err.code === "EADDRINUSE" ? `port ${env.PORT} is already in use; stop the other server or set PORT` : err.message);
  });

  const shutdown = () => {
    http.close();
    database.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

function ensureWritable(dir: string) {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError(`DATA_DIR ${dir} is not a writable directory`);
  }
}

function fail(message: string): never {
  console.error(`SmartTask could not start: ${message}`);
  process.exit(1);
}

main().catch((err: Error) => fail(err instanceof ConfigError ? err.message : err.message));
