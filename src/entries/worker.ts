import { sendAccountMail } from "../accounts/mail.js";
import { pruneAccountData } from "../accounts/housekeeping.js";
import { neonConfig, Pool } from "@neondatabase/serverless";
import setupWasm from "argon2id/lib/setup.js";
import wasmNoSimd from "argon2id/dist/no-simd.wasm";
import wasmSimd from "argon2id/dist/simd.wasm";
import { drizzle } from "drizzle-orm/neon-serverless";
import type { Context } from "hono";
import { createApp, type FixedForApp } from "../app.js";
import type { Deps } from "../deps.js";
import { createPasswordHasher } from "../auth/password.js";
import { systemClock } from "../clock.js";
import { markConnectionsPerRequest, roundTripCounter, type Database } from "../db/database.js";
import * as schema from "../db/schema.js";
import { consumeSendMessage, RETRY_AFTER_FAILURE_SECONDS, scanStep, type SendMessage } from "../reminders/queue.js";
import { housekeepOutbox } from "../reminders/send.js";
import { appConfigFrom, mailerFrom } from "./settings.js";
import { checkWorkerEnv, type Env } from "./worker-env.js";
import { errorForLog } from "../log.js";
import { pruneLoginFailures } from "../auth/rate-limit.js";

// workerd refuses to compile WebAssembly from bytes at run time, so the .wasm files are imported
// as modules (wrangler bundles them compiled) and only instantiated here.
const loadArgon2 = () =>
  setupWasm(
    (imports) => instantiate(wasmSimd, imports),
    (imports) => instantiate(wasmNoSimd, imports),
  );

async function instantiate(module: WebAssembly.Module, imports: WebAssembly.Imports) {
  const instance = await WebAssembly.instantiate(module, imports);
  return { module, instance };
}

/**
 * A database handle per invocation (Workers forbid I/O at global scope and sharing sockets
 * between requests): a Neon WebSocket Pool, closed when the invocation is done. A request and a
 * queue message run their statements one after another, so one connection each is enough
 * (`max: 1`); the cron's scan keeps two batches in flight and gets two.
 */
function openWorkerDatabase(env: Env, connections: number): Database {
  if (env.NEON_WS_PROXY) {
    // Local development and tests only: reach a plain PostgreSQL through scripts/ws-proxy.mjs.
    // Production keeps Neon's defaults (secure WebSockets to Neon's own proxy).
    const proxy = env.NEON_WS_PROXY;
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
  }
  const counter = roundTripCounter();
  const pool = new Pool({ connectionString: env.DATABASE_URL, max: connections });
  let closing = false;
  // A socket closed under an idle client must not become an uncaught error in the isolate; once
  // the invocation is closing its pool, sockets going away is expected and not worth a log line.
  pool.on("error", (err: Error) => {
    if (!closing) console.error(JSON.stringify({ event: "db.pool_error", message: err.message }));
  });
  const db = drizzle({ client: pool, schema, logger: counter });
  markConnectionsPerRequest(db as unknown as Database["db"]);
  return {
    db: db as unknown as Database["db"],
    roundTrips: () => counter.count,
    close: () => {
      closing = true;
      return pool.end();
    },
  };
}

const passwords = createPasswordHasher(loadArgon2);

/**
 * Scan batches (of 200 users) per invocation: the cron and each continuation message scan at most
 * this many, then hand the rest to the next invocation through the queue, so the CPU time of one
 * invocation stays bounded whatever the number of users (README, "How the Worker runs").
 */
const SCAN_BATCHES_PER_INVOCATION = 25;

/** The Cron Trigger (wrangler.toml) that only retries account mail, between the hourly runs. */
const ACCOUNT_MAIL_CRON = "5-55/5 * * * *";

/** Everything a request or a cron run needs, built from the bindings for this invocation. */
function jobDeps(env: Env, connections = 1) {
  const database = openWorkerDatabase(env, connections);
  return { database, mailer: mailerFrom(env, database, systemClock), config: appConfigFrom(env, new URL(env.APP_URL)) };
}

/** What the app reads from the fetch's env: the bindings, and this request's own dependencies. */
interface RequestEnv extends Env {
  deps: Deps;
}

/**
 * The app, built once per isolate: its routes and middleware do not change between requests.
 * An isolate serves one deployment, so what the app is built around (APP_URL, whether mail is
 * kept for /dev/mailbox) is fixed too; keyed by it all the same, so no request is ever served by
 * an app built for other bindings (tests call one isolate with several).
 */
const apps = new Map<string, ReturnType<typeof createApp>>();

function appFor(fixed: FixedForApp) {
  const key = `${fixed.appUrl.origin} ${fixed.devMailbox}`;
  let app = apps.get(key);
  if (!app) {
    app = createApp((c) => (c.env as RequestEnv).deps, { fixed });
    apps.set(key, app);
  }
  return app;
}

const clientIp = (c: Context) => c.req.header("cf-connecting-ip") ?? "unknown";

export default {
  async fetch(request, env, ctx) {
    const checked = checkWorkerEnv(env);
    if (!checked.ok) return new Response(checked.message, { status: 500 });
    const workerEnv = { ...env, ...checked.env };
    // The database is this request's own: Workers do not let requests share its sockets.
    const jobs = jobDeps(workerEnv);
    // Work after the response (account mail) uses this request's database: close it only after.
    const afterResponse: Promise<unknown>[] = [];
    const background = (work: () => Promise<unknown>) => void afterResponse.push(work());
    const deps: Deps = { ...jobs, clock: systemClock, passwords, clientIp, background };
    const app = appFor({ appUrl: jobs.config.appUrl, devMailbox: jobs.mailer.kind === "dev" });
    try {
      return await app.fetch(request, { ...env, deps } satisfies RequestEnv, ctx);
    } finally {
      // The pool's sockets belong to this request; close them once the response is on its way.
      ctx.waitUntil(Promise.allSettled(afterResponse).then(() => jobs.database.close()));
    }
  },
  /**
   * The hourly Cron Trigger: the same scan as every runtime; sending is fanned out to the queue.
   * The 5-minute trigger only retries account mail, which people wait for.
   */
  async scheduled(controller, env, ctx) {
    const now = new Date(controller.scheduledTime);
    if (controller.cron === ACCOUNT_MAIL_CRON) {
      const deps = jobDeps(checkedEnv(env));
      try {
        const accountMail = await sendAccountMail(deps, now);
        console.log(JSON.stringify({ event: "account_mail.cron", now: now.toISOString(), ...accountMail }));
      } finally {
        ctx.waitUntil(deps.database.close());
      }
      return;
    }
    const deps = jobDeps(checkedEnv(env), 2);
    try {
      // Once per run, not per queue message: consumers skip rows this would expire or drop anyway.
      const expired = await housekeepOutbox(deps, now);
      const scan = await scanStep(deps, env.EMAIL_QUEUE, now, now, { maxBatches: SCAN_BATCHES_PER_INVOCATION, enqueue: "all" });
      const loginFailuresPruned = await pruneLoginFailures(deps.database.db, now);
      // Account mail goes out after each request; the cron retries what failed then.
      const accountMail = await sendAccountMail(deps, now);
      const pruned = await pruneAccountData(deps.database.db, now);
      console.log(JSON.stringify({ event: "reminders.cron", now: now.toISOString(), ...scan, expired, loginFailuresPruned, accountMail, ...pruned }));
    } catch (err) {
      // Thrown on, the error would be logged by the runtime with its message: a failed query's
      // SQL and parameters. One line instead, and a failure that says no more.
      const { message, code } = errorForLog(err);
      console.error(JSON.stringify({ event: "reminders.cron_error", now: now.toISOString(), message, code }));
      throw new Error(`reminder run failed: ${message}`);
    } finally {
      ctx.waitUntil(deps.database.close());
    }
  },
  /** The queue consumer: a message names up to 100 outbox rows to send, or continues a scan. */
  async queue(batch, env, ctx) {
    const continuesScan = batch.messages.some((m) => "scanAt" in m.body);
    // A scan keeps two batches in flight: two connections when the batch holds a continuation.
    const deps = jobDeps(checkedEnv(env), continuesScan ? 2 : 1);
    try {
      for (const message of batch.messages) {
        try {
          const body = message.body;
          if ("scanAt" in body) {
            const scanAt = new Date(body.scanAt);
            if (Number.isNaN(scanAt.getTime())) throw new Error("a scan message without a valid instant");
            const step = await scanStep(deps, env.EMAIL_QUEUE, scanAt, new Date(), { maxBatches: SCAN_BATCHES_PER_INVOCATION, enqueue: "own" });
            console.log(JSON.stringify({ event: "reminders.scan_continued", scanAt: body.scanAt, ...step }));
          } else {
            await consumeSendMessage(deps, env.EMAIL_QUEUE, body, new Date());
          }
          message.ack();
        } catch (err) {
          console.error(JSON.stringify({ event: "reminders.queue_error", message: errorForLog(err).message }));
          message.retry({ delaySeconds: RETRY_AFTER_FAILURE_SECONDS });
        }
      }
    } finally {
      ctx.waitUntil(deps.database.close());
    }
  },
} satisfies ExportedHandler<Env, SendMessage>;

function checkedEnv(env: Env): Env {
  const checked = checkWorkerEnv(env);
  if (!checked.ok) throw new Error(checked.message);
  return { ...env, ...checked.env };
}
