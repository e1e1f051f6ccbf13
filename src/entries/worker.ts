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

export default {
  async fetch(request, env, ctx) {
    const checked = checkWorkerEnv(env);
    if (!checked.ok) return new Response(checked.message, { status: 500 });
    const database = openWorkerDatabase(checked.env.DATABASE_URL);
    const app = createApp({
      database,
      clock: systemClock,
      config: { appUrl: new URL(checked.env.APP_URL) },
      passwords,
      clientIp: (c) => c.req.header("cf-connecting-ip") ?? "unknown",
    });
    return app.fetch(request, env, ctx);
  },
  // The hourly deadline scan arrives with the reminders feature; until then the trigger is a no-op.
  async scheduled() {},
} satisfies ExportedHandler<Env>;
