// `npm run dev`: SmartTask as a Worker in workerd (wrangler dev), with everything it needs locally.
// With DATABASE_URL unset it serves the embedded database over the wire protocol; either way it
// starts the WebSocket-to-TCP proxy for the Neon driver, applies migrations, and prints the URL.
// The cron can be triggered with: curl "http://127.0.0.1:8787/cdn-cgi/handler/scheduled?cron=0+*+*+*+*"
// Ctrl-C stops everything it started.
import { spawn } from "node:child_process";
import { lockDataDir } from "../src/entries/data-dir.js";
import { ConfigError, parseNodeEnv } from "../src/entries/node-env.js";
import { openNodeDatabase } from "../src/db/node-database.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { startWsProxy } from "./ws-proxy.mjs";

// The same checks as `npm start` (PORT, DATA_DIR, DATABASE_URL), with the Worker's usual port.
const env = parseEnvOrExit();
const port = env.PORT;
const pgPort = Number(process.env.DEV_PG_PORT ?? 54329);
const dataDir = env.DATA_DIR;
const stops: (() => unknown)[] = [];
// wrangler listens on 127.0.0.1 and prints that address, so APP_URL names it too (links in mail,
// the printed URL); localhost and [::1] on this port pass the same-origin check as well.
const appUrl = `http://127.0.0.1:${port}`;

async function main() {
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const lock = lockDataDir(dataDir);
    if ("heldBy" in lock) throw new Error(`DATA_DIR ${dataDir} is in use by process ${lock.heldBy} (npm start?); stop it first`);
    stops.push(lock.release);
    const pg = await startEmbeddedPostgres({ dataDir, port: pgPort });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  } else {
    const database = await openNodeDatabase({ url: databaseUrl }); // applies migrations
    await database.close();
  }
  const target = new URL(databaseUrl);
  const address = `${target.hostname}:${target.port || 5432}`;
  const proxy = await startWsProxy({ port: 0, allow: [address] });
  stops.push(proxy.close);

  const wrangler = spawn(
    "npx",
    [
      "wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--test-scheduled",
      "--var", `DATABASE_URL:${databaseUrl}`,
      // NEON_WS_PROXY is also what marks local development: the Worker then allows an http
      // APP_URL and, without POSTMARK_SERVER_TOKEN, keeps mail in /dev/mailbox (worker-env.ts).
      "--var", `NEON_WS_PROXY:127.0.0.1:${proxy.port}`,
      "--var", `APP_URL:${appUrl}`,
    ],
    { stdio: "inherit" },
  );
  stops.unshift(() => wrangler.kill("SIGINT"));
  console.log(`SmartTask (Worker) on ${appUrl} — database ${process.env.DATABASE_URL ? "from DATABASE_URL" : `embedded in ${dataDir}`}`);
  wrangler.on("exit", () => void stop(0));
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const s of stops) await Promise.resolve(s()).catch(() => undefined);
  process.exit(code);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
main().catch((err: Error) => {
  console.error(`npm run dev could not start: ${err.message}`);
  void stop(1);
});

function parseEnvOrExit() {
  try {
    return parseNodeEnv({ ...process.env, PORT: process.env.PORT ?? "8787" });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`npm run dev could not start: ${err.message}`);
    process.exit(1);
  }
}
