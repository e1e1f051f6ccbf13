// `npm run bench [-- --quick] [-- --profile] [-- --only http|scan] [-- --no-write]`
// Issue #8's benchmark: the Node entry under 50 connections on a seeded 100,000-task database,
// against three ceilings measured in the same run, then the reminder scan at 100,000 and
// 1,000,000 tasks. PostgreSQL at BENCH_DATABASE_URL (a throwaway database: its schemas are dropped),
// else the embedded PGlite. BENCH_CPU_PROF=1 (or --profile) profiles the server. Loopback only,
// every load bounded in time. Results: the terminal and docs/benchmarks.md.
import { MAX_ROW_BYTES, rowWeight } from "./row-weight.js";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LOAD_SHAPE, measureApp, measureCeilings } from "./http.js";
import { formatProfile } from "./profile-summary.js";
import { formatMarkdown, formatText, writeResults, type Report } from "./report.js";
import { runScanScenario, SCAN_SCENARIOS } from "./scan.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    only: { type: "string" },
    "no-write": { type: "boolean", default: false },
  },
});
if (args.only !== undefined && args.only !== "http" && args.only !== "scan") throw new Error(`--only takes http or scan, not "${args.only}"`);
const quick = args.quick;
const profile = args.profile || !["", "0", "false", undefined].includes(process.env.BENCH_CPU_PROF);
const url = process.env.BENCH_DATABASE_URL || undefined;
const root = fileURLToPath(new URL("../../", import.meta.url));
process.chdir(root);

// Quick: enough to see the shape and catch a broken route, well under 2 minutes. Full: a few
// seconds of warm-up and ~10 s measured per route, as the issue asks.
const timing = quick ? { warmupSeconds: 1, seconds: 3, connections: 50 } : { warmupSeconds: 3, seconds: 10, connections: 50 };

const git = (...a: string[]) => {
  try {
    return execFileSync("git", a, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
};
const autocannonVersion = (createRequire(import.meta.url)("autocannon/package.json") as { version: string }).version;

const report: Report = {
  meta: {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    commit: (git("rev-parse", "--short", "HEAD") || "unknown") + (git("status", "--porcelain", "--untracked-files=no") ? " (with uncommitted changes)" : ""),
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    mode: quick ? "quick (npm run bench -- --quick)" : "full",
    database: url ? "PostgreSQL (BENCH_DATABASE_URL)" : "embedded PGlite",
    dataShape: `${LOAD_SHAPE.users} users × ${LOAD_SHAPE.tasksPerUser.toLocaleString("en-US")} tasks, interleaved; priorities low/medium/high, about half done, due from 30 days ago to 30 days ahead, titles 8–50 characters; signed in as one 1,000-task user`,
    load: `autocannon ${autocannonVersion} in the benchmark's process, ${timing.connections} connections, ${timing.warmupSeconds} s warm-up + ${timing.seconds} s measured per route, Accept-Encoding: gzip, deflate, br, zstd; every server in a process of its own on 127.0.0.1`,
  },
  routes: [],
  scans: [],
  notes: [],
  profiles: [],
};

/** A part that fails (a server that will not start, a scan that throws) is reported, and the rest still runs. */
function keepGoing(part: string) {
  return (err: Error) => {
    const message = `${part} failed: ${err.message.split("\n").slice(0, 3).join(" ")}`;
    console.error(`  ${message}`);
    report.notes.push(message);
    process.exitCode = 1;
  };
}

const tmpRoot = mkdtempSync(join(tmpdir(), "smarttask-bench-"));
const started = performance.now();
try {
  console.log(`SmartTask benchmark, ${report.meta.mode}, on ${url ? "the PostgreSQL server at BENCH_DATABASE_URL" : "the embedded PGlite database (BENCH_DATABASE_URL is not set)"}`);
  if (args.only !== "scan") {
    const weight = await rowWeight();
    const verdict = weight.bytesPerRow < MAX_ROW_BYTES ? "PASS" : "FAIL";
    report.notes.push(`HTML per list row: ${weight.bytesPerRow} bytes (${weight.rows} rows of the in-memory page, before compression); target < ${MAX_ROW_BYTES}: ${verdict}.`);
    console.log(`HTML per list row: ${weight.bytesPerRow} bytes (target < ${MAX_ROW_BYTES}: ${verdict})`);
    console.log("\nCeilings");
    await measureCeilings({ tmpRoot, timing, profile }, report).catch(keepGoing("the ceilings"));
    console.log("\nSmartTask (Node entry)");
    await measureApp({ url, tmpRoot, timing, profile }, report).catch(keepGoing("the app's load"));
  }
  if (args.only !== "http") {
    console.log("\nReminder scan");
    // The 1,000,000-task seed alone takes longer than quick mode's whole budget.
    const scenarios = quick ? SCAN_SCENARIOS.slice(0, 1) : SCAN_SCENARIOS;
    if (quick) report.notes.push(`Quick mode skipped the reminder scan over ${SCAN_SCENARIOS[1]!.name}; run without --quick for it.`);
    for (const scenario of scenarios) {
      const outcome = await runScanScenario(scenario, url, tmpRoot).catch(keepGoing(`the reminder scan over ${scenario.name}`));
      if (!outcome) continue;
      report.scans.push(outcome);
      if (args.only === "scan") report.meta.database = outcome.database;
      const f = outcome.figures;
      console.log(`  ${scenario.name}: ${f.seconds.toFixed(2)} s (CPU ${f.cpuSeconds.toFixed(2)} s), peak RSS ${Math.round(f.peakRssMb)} MB, ${f.statements} statements, ${f.usersScanned} users scanned, ${f.emailsQueued} emails queued`);
    }
    if (!url) report.notes.push("On the embedded database the scan's process also holds PGlite itself, so its peak RSS includes the database.");
  }
  console.log(`\n${formatText(report, formatProfile)}`);
  if (!args["no-write"]) {
    writeResults("docs/benchmarks.md", formatMarkdown(report));
    console.log("\nWritten to docs/benchmarks.md");
  }
  console.log(`Took ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  rmSync(tmpRoot, { recursive: true, force: true });
}
