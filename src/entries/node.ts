import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type Context } from "hono";
import { createApp } from "../app.js";
import { loadArgon2ForNode } from "../auth/argon2-node.js";
import { createPasswordHasher } from "../auth/password.js";
import { systemClock } from "../clock.js";
import { compressResponses } from "./node-compress.js";
import { openNodeDatabase } from "../db/node-database.js";
import { lockDataDir, writeControlFile } from "./data-dir.js";
import { ConfigError, parseNodeEnv } from "./node-env.js";
import { appUrlOf, nodeAppConfig, nodeMailer } from "./node-mail.js";
import { ensureWritable, rootCause } from "./node-startup.js";
import { startReminderSchedule } from "./reminder-jobs.js";
import { runEndpoint } from "./run-endpoint.js";

/** The Node entry: reads the environment, builds the dependencies, serves the app and static/. */
async function main() {
  const env = parseNodeEnv(process.env);
  const appUrl = appUrlOf(env);
  // Without APP_URL the app is local: both spellings of loopback count as its own origin.
  const extraOrigins = env.APP_URL ? [] : [`http://127.0.0.1:${env.PORT}`];

  const cleanups: (() => unknown)[] = [];
  if (!env.DATABASE_URL) {
    ensureWritable(env.DATA_DIR);
    const lock = lockDataDir(env.DATA_DIR);
    if ("heldBy" in lock) throw new ConfigError(`DATA_DIR ${env.DATA_DIR} is in use by process ${lock.heldBy} (another npm start or npm run reminders)`);
    cleanups.push(lock.release);
  }
  const database = await openNodeDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, driver: env.DATABASE_DRIVER }).catch((err: Error) => {
    throw new ConfigError(`could not open the database (${env.DATABASE_URL ? "DATABASE_URL" : `DATA_DIR ${env.DATA_DIR}`}): ${rootCause(err)}`);
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

  const jobDeps = { database, mailer: nodeMailer(env, database), config: nodeAppConfig(env, appUrl) };
  const app = createApp(
    { ...jobDeps, clock: systemClock, passwords: createPasswordHasher(loadArgon2ForNode), clientIp },
    { extraOrigins },
  );
  const runSecret = randomBytes(32).toString("hex");
  const server = new Hono();
  // Node serves its own bytes (no CDN in front, unlike the Worker): compress pages, fragments, CSS and JS.
  server.use("*", compressResponses);
  // Only our few static files: a catch-all would stat the disk for every page request.
  const statics = serveStatic({ root: "./static" });
  server.get("/app.css", statics);
  server.get("/app.js", statics);
  server.get("/vendor/*", statics);
  server.post("/internal/reminders/run", runEndpoint(jobDeps, runSecret));
  // Everything else is the app, as a whole (its own not-found page answers unknown paths), with
  // the adapter's env so it can read the socket's address. Not `mount`: that asks for the
  // execution context, which throws on Node, and an Error per request cost 3 % of a write.
  server.all("*", (c) => app.fetch(c.req.raw, c.env as object));

  const http = serve({ fetch: server.fetch, port: env.PORT }, () => {
    console.log(`SmartTask is running at ${appUrl.origin} (database: ${env.DATABASE_URL ? "PostgreSQL" : `embedded, ${resolve(env.DATA_DIR)}`}; email: ${jobDeps.mailer.kind === "dev" ? "dev mailbox at /dev/mailbox" : "Postmark"})`);
    if (!env.DATABASE_URL) cleanups.push(writeControlFile(env.DATA_DIR, { pid: process.pid, port: env.PORT, secret: runSecret }));
    if (env.REMINDERS === "on") cleanups.push(startReminderSchedule(jobDeps));
  });
  http.on("error", (err: NodeJS.ErrnoException) => {
    cleanups.forEach((clean) => clean());
    fail(err.code === "EADDRINUSE" ? `port ${env.PORT} is already in use; stop the other server or set PORT` : err.message);
  });

  const shutdown = () => {
    http.close();
    database.close().finally(() => {
      cleanups.reverse().forEach((clean) => clean());
      process.exit(0);
    });
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

function fail(message: string): never {
  // Exactly one line, whatever the message holds.
  console.error(`SmartTask could not start: ${message.replace(/\s*\n\s*/g, " ").trim()}`);
  process.exit(1);
}

main().catch((err: Error) => fail(err instanceof ConfigError ? err.message : err.message));
