import { spawn } from "node:child_process";
import { build } from "esbuild";
import { databaseEnv, describeDatabase, freshTarget } from "./database.js";
import type { ScanFigures } from "./scan-run.js";
import { seed, type Shape } from "./seed.js";

export interface ScanScenario {
  name: string;
  shape: Shape;
  /** Issue #8's targets; a miss is printed as FAIL. */
  maxSeconds: number;
  maxPeakMb?: number;
}

export interface ScanOutcome {
  scenario: ScanScenario;
  /** Which database answered (its version and where). */
  database: string;
  seedSeconds: number;
  figures: ScanFigures;
}

export const SCAN_SCENARIOS: ScanScenario[] = [
  { name: "100,000 tasks, 100 users", shape: { users: 100, tasksPerUser: 1000 }, maxSeconds: 1 },
  { name: "1,000,000 tasks, 10,000 users", shape: { users: 10_000, tasksPerUser: 100 }, maxSeconds: 5, maxPeakMb: 300 },
];

/** Seeds a clean database with the scenario's shape, then times the scan in a child process. */
export async function runScanScenario(scenario: ScanScenario, url: string | undefined, tmpRoot: string): Promise<ScanOutcome> {
  const now = new Date();
  const { target, database } = await freshTarget(url, tmpRoot);
  let seedSeconds: number;
  let described: string;
  try {
    described = await describeDatabase(url, database);
    seedSeconds = (await seed(database, scenario.shape, now)).seconds;
  } finally {
    // The embedded database is one process's at a time: the scan opens it next.
    await database.close();
  }
  const figures = await runChild({ ...databaseEnv(target, tmpRoot), BENCH_SCAN_NOW: now.toISOString() });
  return { scenario, database: described, seedSeconds, figures };
}

/**
 * The scan's process runs one esbuild bundle of scan-run.ts, as the Worker runs one bundle made
 * by wrangler's esbuild: loaded through tsx on Node 24, drizzle-orm's modules alone left ~150 MB
 * of start-up garbage in the process's RSS (see docs/benchmarks.md), which is not the scan's. The
 * bundle sits under node_modules/.cache so that what stays external (PGlite, which finds its
 * WebAssembly beside its own module) resolves from the project.
 */
const SCAN_BUNDLE = "node_modules/.cache/smarttask-bench/scan-run.mjs";

let bundled: Promise<unknown> | null = null;
function bundleScanRun(): Promise<unknown> {
  bundled ??= build({
    entryPoints: ["scripts/bench/scan-run.ts"],
    outfile: SCAN_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    external: ["@electric-sql/pglite", "@electric-sql/pglite/*", "pg-native"],
    // CommonJS dependencies (pg) call require() for Node's built-ins, which an ES module lacks.
    banner: { js: 'import { createRequire as __benchRequire } from "node:module"; const require = __benchRequire(import.meta.url);' },
    logLevel: "warning",
  });
  return bundled;
}

async function runChild(env: Record<string, string>): Promise<ScanFigures> {
  await bundleScanRun();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCAN_BUNDLE], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as ScanFigures);
      else reject(new Error(`the reminder scan exited with ${code}: ${err.trim() || out.trim()}`));
    });
  });
}
