import { neon } from "@neondatabase/serverless";
import setupWasm from "argon2id/lib/setup.js";
import wasmNoSimd from "argon2id/dist/no-simd.wasm";
import wasmSimd from "argon2id/dist/simd.wasm";
import { drizzle } from "drizzle-orm/neon-http";
import { createApp } from "../app.js";
import { createPasswordHasher } from "../auth/password.js";
import { systemClock } from "../clock.js";
import { roundTripCounter, type Database } from "../db/database.js";
import * as schema from "../db/schema.js";
import { createDevMailer } from "../email/dev-mailer.js";
import { createPostmarkMailer } from "../email/postmark-mailer.js";
import { runReminders } from "../reminders/scan.js";
import { sendPending } from "../reminders/send.js";
import { checkWorkerEnv, type Env } from "./worker-env.js";

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

/** A database handle per request (Workers forbid I/O at global scope and between requests). */
function openWorkerDatabase(url: string): Database {
  const counter = roundTripCounter();
  const db = drizzle(neon(url), { schema, logger: counter });
  return { db: db as unknown as Database["db"], roundTrips: () => counter.count, close: async () => {} };
}

const passwords = createPasswordHasher(loadArgon2);

/** Everything a request or a cron run needs, built from the bindings for this invocation. */
function jobDeps(env: Env) {
  const database = openWorkerDatabase(env.DATABASE_URL);
  const mailer = env.POSTMARK_SERVER_TOKEN
    ? createPostmarkMailer({ serverToken: env.POSTMARK_SERVER_TOKEN, apiUrl: env.POSTMARK_API_URL })
    : createDevMailer(database, systemClock);
  const config = {
    appUrl: new URL(env.APP_URL),
    emailFrom: env.EMAIL_FROM,
    messageStream: env.POSTMARK_MESSAGE_STREAM,
    signingSecret: env.SIGNING_SECRET,
  };
  return { database, mailer, config };
}

export default {
  async fetch(request, env, ctx) {
    const checked = checkWorkerEnv(env);
    if (!checked.ok) return new Response(checked.message, { status: 500 });
    const app = createApp({
      ...jobDeps(checked.env),
      clock: systemClock,
      passwords,
      clientIp: (c) => c.req.header("cf-connecting-ip") ?? "unknown",
    });
    return app.fetch(request, env, ctx);
  },
  /** The hourly Cron Trigger: the same scan and send as every other runtime. */
  async scheduled(controller, env) {
    const checked = checkWorkerEnv(env);
    if (!checked.ok) throw new Error(checked.message);
    const deps = jobDeps(checked.env);
    const now = new Date(controller.scheduledTime);
    await runReminders(deps, now);
    await sendPending(deps, now);
  },
} satisfies ExportedHandler<Env>;
