import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type Context } from "hono";
import { createApp } from "../app.js";
import { createHashPool } from "../auth/hash-pool.js";
import { passwordHasherOver } from "../auth/password.js";
import { systemClock } from "../clock.js";
import { withSecurityHeaders } from "../http/security-headers.js";
import { compressResponses } from "./node-compress.js";
import { openNodeDatabase } from "../db/node-database.js";
import { lockDataDir, writeControlFile } from "./data-dir.js";
import { clientAddress } from "./client-address.js";
import { appUrlOf, ConfigError, parseNodeEnv } from "./node-env.js";
import { appConfigFrom, mailerFrom } from "./settings.js";
import { ensureWritable, rootCause } from "./node-startup.js";
import { startReminderSchedule } from "./reminder-jobs.js";
import { listenForRuns } from "./run-endpoint.js";

/** The Node entry: reads the environment, builds the dependencies, serves the app and static/. */
async function main() {
  const env = parseNodeEnv(process.env);
  // A loopback APP_URL (the default, http://localhost:PORT) also accepts 127.0.0.1 and [::1] (same-origin.ts).
  const appUrl = appUrlOf(env);

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

  // X-Forwarded-For counts only when the socket peer is one of TRUSTED_PROXIES (client-address.ts).
  const clientIp = (c: Context) => clientAddress(getConnInfo(c).remote.address, c.req.header("x-forwarded-for"), env.TRUSTED_PROXIES);

  // argon2id on worker threads: a hash on the event loop held every other request for 65 ms.
  const hashPool = createHashPool();
  cleanups.push(() => hashPool.close());
  await hashPool.ready().catch((err: Error) => {
    throw new ConfigError(`the password-hashing threads did not start: ${rootCause(err)}`);
  });

  const jobDeps = { database, mailer: mailerFrom(env, database, systemClock), config: appConfigFrom(env, appUrl) };
  // Work after a response (account mail) simply runs on: the process and its database outlive the request.
  const background = (work: () => Promise<unknown>) => void work();
  const app = createApp({ ...jobDeps, clock: systemClock, passwords: passwordHasherOver(hashPool.compute), clientIp, background });
  const server = new Hono();
  // Node serves its own bytes (no CDN in front, unlike the Worker): compress pages, fragments, CSS and JS.
  server.use("*", compressResponses);
  // Only our few static files: a catch-all would stat the disk for every page request.
  const statics = withSecurityHeaders(serveStatic({ root: "./static" }));
  server.get("/app.css", statics);
  server.get("/app.js", statics);
  server.get("/vendor/*", statics);
  // The run endpoint has its own loopback listener (run-endpoint.ts); here it does not exist.
  server.all("/internal/*", (c) => c.notFound());
  // Everything else is the app, as a whole (its own not-found page answers unknown paths), with
  // the adapter's env so it can read the socket's address. Not `mount`: that asks for the
  // execution context, which throws on Node, and an Error per request cost 3 % of a write.
  server.all("*", (c) => app.fetch(c.req.raw, c.env as object));

  const http = serve({ fetch: server.fetch, port: env.PORT, hostname: env.HOST }, () => {
    console.log(`SmartTask is running at ${appUrl.origin} (listening on ${env.HOST}:${env.PORT}; database: ${env.DATABASE_URL ? "PostgreSQL" : `embedded, ${resolve(env.DATA_DIR)}`}; email: ${jobDeps.mailer.kind === "dev" ? "dev mailbox at /dev/mailbox" : "Postmark"})`);
    if (env.REMINDERS === "on") cleanups.push(startReminderSchedule(jobDeps));
  });
  http.on("error", (err: NodeJS.ErrnoException) => {
    cleanups.forEach((clean) => clean());
    fail(listenError(err, env.HOST, env.PORT));
  });
  // Only the embedded database needs runs handed over: with DATABASE_URL the CLI connects itself.
  if (!env.DATABASE_URL) {
    const secret = randomBytes(32).toString("hex");
    const runs = await listenForRuns(jobDeps, secret);
    cleanups.push(runs.close, writeControlFile(env.DATA_DIR, { pid: process.pid, runUrl: runs.url, secret }));
  }

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

function listenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === "EADDRINUSE") return `port ${port} is already in use on ${host}; stop the other server or set PORT`;
  if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") return `HOST ${host} is not an address of this machine (use 0.0.0.0, 127.0.0.1 or one of its addresses)`;
  return err.message;
}

function fail(message: string): never {
  // Exactly one line, whatever the message holds.
  console.error(`SmartTask could not start: ${message.replace(/\s*\n\s*/g, " ").trim()}`);
  process.exit(1);
}

// A ConfigError is already one sentence; anything else is reduced to its message, never a stack.
main().catch((err: Error) => fail(err.message));
