// Builds the Worker as `wrangler deploy` would (--dry-run, nothing is uploaded) and reports the
// bundle's raw and gzipped size against the budget: under 1 MiB gzipped (the free plan allows 3 MB).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const outdir = process.argv[2] ?? "dist/worker";
const BUDGET = 1024 * 1024;
execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], { stdio: ["ignore", "ignore", "inherit"] });

let raw = 0;
let gzipped = 0;
for (const name of readdirSync(outdir)) {
  if (name.endsWith(".map") || name === "README.md") continue;
  const path = join(outdir, name);
  if (!statSync(path).isFile()) continue;
  raw += statSync(path).size;
  gzipped += gzipSync(readFileSync(path), { level: 9 }).length;
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Worker bundle: ${kib(raw)} raw, ${kib(gzipped)} gzipped (budget ${kib(BUDGET)} gzipped)`);
if (gzipped > BUDGET) {
  console.error("The Worker bundle is over budget.");
  process.exit(1);
}
