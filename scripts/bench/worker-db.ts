// `npm run bench:worker`: the Worker in workerd (wrangler dev via `npm run dev`) on a PostgreSQL server
// through the Neon WebSocket driver and the local proxy. Reports latency per request kind (median
// and p95 of sequential requests). Loopback only; bounded. BENCH_DATABASE_URL names a throwaway
// database (default: smarttask_bench on the local server, recreated each run).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshLocalDatabase } from "./database.js";

const PORT = 8799;
const BASE = `http://localhost:${PORT}`;
const ROUNDS = 40;
const dataDir = mkdtempSync(join(tmpdir(), "smarttask-bench-"));
const databaseUrl = process.env.BENCH_DATABASE_URL ?? (await freshLocalDatabase());
const dev = spawn(process.execPath, ["--import", "tsx", "scripts/dev.ts"], {
  env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});


async function waitForServer() {
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${BASE}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the Worker did not start within 60 s");
}

async function time(label: string, request: () => Promise<Response>) {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const res = await request();
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${label}: HTTP ${res.status}`);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1);
  console.log(`${label.padEnd(42)} median ${at(0.5)} ms   p95 ${at(0.95)} ms   (n=${ROUNDS})`);
}

try {
  await waitForServer();
  const headers = { origin: BASE, "content-type": "application/x-www-form-urlencoded" };
  const reg = await fetch(`${BASE}/register`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ name: "Bench", email: `bench-${Date.now()}@example.com`, password: "correct horse battery", timezone: "UTC" }),
    redirect: "manual",
  });
  const cookie = reg.headers.get("set-cookie")!.split(";")[0]!;
  for (let i = 0; i < 30; i++) {
    await fetch(`${BASE}/tasks`, { method: "POST", headers: { ...headers, cookie }, body: new URLSearchParams({ title: `Task ${i}`, due_date: "2031-01-01" }), redirect: "manual" });
  }
  console.log("Worker (workerd) + Neon WebSocket Pool (new per request) + local proxy + PostgreSQL:");
  await time("GET /healthz (1 query, new pool)", () => fetch(`${BASE}/healthz`));
  await time("GET /tasks, 30 tasks (2 queries)", () => fetch(`${BASE}/tasks`, { headers: { cookie } }));
  await time("GET /tasks htmx filter fragment (2 queries)", () => fetch(`${BASE}/tasks?priority=medium`, { headers: { cookie, "HX-Request": "true" } }));
  await time("POST /tasks (2 queries, no argon2)", () =>
    fetch(`${BASE}/tasks`, { method: "POST", headers: { ...headers, cookie }, body: new URLSearchParams({ title: "Bench write" }), redirect: "manual" }),
  );
} finally {
  try {
    process.kill(-dev.pid!, "SIGINT");
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 1500));
  rmSync(dataDir, { recursive: true, force: true });
}
