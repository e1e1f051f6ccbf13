import { spawn } from "node:child_process";
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

function runChild(env: Record<string, string>): Promise<ScanFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/scan-run.ts"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
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
