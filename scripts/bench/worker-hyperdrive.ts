// `npm run bench:hyperdrive`: Neon's WebSocket driver (through the local proxy) against Hyperdrive
// with postgres.js, both in workerd (`wrangler dev`), both against the same PostgreSQL server, on a
// measuring Worker (scripts/bench/hyperdrive/) that runs a list page's two statements on a new
// connection per request. Locally, Hyperdrive connects straight to `localConnectionString`: no
// pooling and no cache, which are what it offers in production, so this measures the drivers and
// the connection set-up, not Hyperdrive's network. Loopback only; 200 sequential requests each.
// BENCH_DATABASE_URL names the database (default: the local server's smarttask_bench, recreated).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { freshLocalDatabase } from "./database.js";
import { openNodeDatabase } from "../../src/db/node-database.js";
import { startWsProxy } from "../ws-proxy.mjs";

const PORT = 8797;
const ROUNDS = 200;
const root = resolve(import.meta.dirname, "../..");

const databaseUrl = process.env.BENCH_DATABASE_URL ?? (await freshLocalDatabase());
const seeded = await seed(databaseUrl);
const target = new URL(databaseUrl);
const proxy = await startWsProxy({ port: 0, allow: [`${target.hostname}:${target.port || 5432}`] });
// Hyperdrive insists on a password in its connection string; the local server's trust auth ignores it.
const hyperdriveUrl = new URL(databaseUrl);
if (!hyperdriveUrl.password) hyperdriveUrl.password = "unused";
const dir = mkdtempSync(join(tmpdir(), "smarttask-hyperdrive-"));
const config = join(dir, "wrangler.toml");
writeFileSync(
  config,
  [
    `name = "smarttask-hyperdrive-bench"`,
    `main = ${JSON.stringify(join(root, "scripts/bench/hyperdrive/worker.ts"))}`,
    `compatibility_date = "2026-11-01"`,
    // postgres.js in workerd needs node:buffer and node:events.
    `compatibility_flags = ["nodejs_compat"]`,
    `[[hyperdrive]]`,
    `binding = "HYPERDRIVE"`,
    `id = "local-bench"`,
    `localConnectionString = ${JSON.stringify(hyperdriveUrl.toString())}`,
  ].join("\n"),
);
const dev = spawn(
  "npx",
  ["wrangler", "dev", "-c", config, "--port", String(PORT), "--ip", "127.0.0.1", "--var", `DATABASE_URL:${databaseUrl}`, "--var", `NEON_WS_PROXY:127.0.0.1:${proxy.port}`],
  { cwd: root, stdio: ["ignore", "ignore", "inherit"], detached: true },
);
let exited = false;
dev.once("exit", () => (exited = true));

try {
  await waitForServer();
  const query = `?session=${encodeURIComponent(seeded.session)}&user=${seeded.user}`;
  console.log(`Worker (workerd, wrangler dev) → PostgreSQL on ${target.host}: a list page's 2 statements on a new connection per request`);
  for (const [label, path] of [
    ["Neon WebSocket Pool via the local proxy", "/neon"],
    ["Hyperdrive (local: direct TCP) + postgres.js", "/hyperdrive"],
  ] as const) {
    await time(label, `http://127.0.0.1:${PORT}${path}${query}`);
  }
} finally {
  try {
    process.kill(-dev.pid!, "SIGINT");
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 1500));
  await proxy.close();
  rmSync(dir, { recursive: true, force: true });
}


/** One user with 200 tasks and a session, through the app's own migrations. */
async function seed(url: string) {
  const database = await openNodeDatabase({ url, driver: "pg" });
  await database.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into users (email, name, password_hash) values ('hyperdrive-' || gen_random_uuid() || '@example.com', 'Bench', 'x') returning id`,
    );
    const user = rows[0]!.id;
    await client.query(
      `insert into tasks (user_id, title, priority, status, due_date, due_at, created_at, updated_at)
       select $1, 'Task ' || n, 'medium', 'todo', current_date + n, (current_date + n)::timestamptz, now(), now() from generate_series(1, 200) n`,
      [user],
    );
    const session = `bench-${Date.now()}`;
    await client.query(`insert into sessions (id, secret_hash, user_id, created_at, expires_at) values ($1, 'x', $2, now(), now() + interval '1 day')`, [session, user]);
    return { user, session };
  } finally {
    await client.end();
  }
}

async function waitForServer() {
  for (let i = 0; i < 120 && !exited; i++) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/none`).then((r) => r.status === 404, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(exited ? "wrangler dev exited (its error is above)" : "wrangler dev did not start within 60 s");
}

async function time(label: string, url: string) {
  for (let i = 0; i < 10; i++) await (await fetch(url)).arrayBuffer(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const res = await fetch(url);
    const body = (await res.json()) as { rows?: number };
    if (!res.ok || body.rows !== 50) throw new Error(`${label}: HTTP ${res.status} ${JSON.stringify(body)}`);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1);
  console.log(`  ${label.padEnd(46)} median ${at(0.5)} ms   p95 ${at(0.95)} ms   (n=${ROUNDS})`);
}
