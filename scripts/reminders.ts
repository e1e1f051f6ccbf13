// `npm run reminders -- [--now <ISO-8601>]`: one deadline scan and one send, at `now`.
// On the embedded database, when `npm start` is running it owns the data directory, so the run
// is handed to that server over its own loopback listener (its address and secret are in
// DATA_DIR/control.json) instead of opening the files twice.
import { parseArgs } from "node:util";
import { openNodeDatabase } from "../src/db/node-database.js";
import { lockDataDir, readControlFile } from "../src/entries/data-dir.js";
import { appUrlOf, ConfigError, parseNodeEnv } from "../src/entries/node-env.js";
import { systemClock } from "../src/clock.js";
import { appConfigFrom, mailerFrom } from "../src/entries/settings.js";
import { parseInstant, runReminderJobs } from "../src/entries/reminder-jobs.js";
import { errorForLog } from "../src/log.js";

async function main() {
  let values: { now?: string };
  try {
    values = parseArgs({ options: { now: { type: "string" } } }).values;
  } catch (err) {
    // A missing value or an unknown option: say so in one line, with the usage.
    throw new ConfigError(`${(err as Error).message.replace(/\s*\n\s*/g, " ")}; usage: npm run reminders -- [--now <ISO-8601 instant>]`);
  }
  const now = values.now === undefined ? new Date() : parseInstant(values.now);
  if (!now) throw new ConfigError(`--now must be an ISO-8601 instant such as 2026-12-01T08:00:00Z, not "${values.now}"`);
  const env = parseNodeEnv(process.env);

  if (!env.DATABASE_URL) {
    const server = readControlFile(env.DATA_DIR);
    if (server) {
      const res = await fetch(server.runUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-smarttask-run-secret": server.secret },
        body: JSON.stringify({ now: now.toISOString() }),
      }).catch((err: Error) => {
        throw new ConfigError(`the running server (pid ${server.pid}) did not answer: ${err.message}`);
      });
      if (!res.ok) {
        // The server's answer is already redacted (errorForLog); show it as the same one line.
        const failure = (await res.json().catch(() => ({}))) as { error?: unknown; code?: unknown };
        const reason = typeof failure.error === "string" ? failure.error : `HTTP ${res.status}`;
        throw new ConfigError(`the running server (pid ${server.pid}) could not run them: ${reason}${typeof failure.code === "string" ? ` (SQLSTATE ${failure.code})` : ""}`);
      }
      console.log(JSON.stringify({ via: `server pid ${server.pid}`, ...(await res.json()) }, null, 2));
      return;
    }
    const lock = lockDataDir(env.DATA_DIR);
    if ("heldBy" in lock) throw new ConfigError(`DATA_DIR ${env.DATA_DIR} is in use by process ${lock.heldBy}; try again when it has finished`);
    try {
      await runWith(env, now);
    } finally {
      lock.release();
    }
    return;
  }
  await runWith(env, now);
}

async function runWith(env: ReturnType<typeof parseNodeEnv>, now: Date) {
  const database = await openNodeDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, driver: env.DATABASE_DRIVER });
  try {
    const deps = { database, mailer: mailerFrom(env, database, systemClock), config: appConfigFrom(env, appUrlOf(env)) };
    console.log(JSON.stringify(await runReminderJobs(deps, now), null, 2));
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  // One line, never a failed statement's SQL or parameters (see errorForLog).
  const { message, code } = err instanceof ConfigError ? { message: err.message, code: undefined } : errorForLog(err);
  console.error(`Reminders run failed: ${message}${code ? ` (SQLSTATE ${code})` : ""}`);
  process.exit(1);
});
