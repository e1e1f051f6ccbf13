// Where a server spent its CPU under load: self time per function from a V8 .cpuprofile
// (`node --cpu-prof`). Also a CLI: `tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]`.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the CPU time the process actually used in the window (idle excluded). */
  share: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  rows: ProfileRow[];
}

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Sums each sample's duration (the gap to the next sample, as DevTools counts it) into its leaf
 * function, keyed by name, script and line. `window` (µs, the profile's own monotonic clock) keeps
 * only the measured part of the run, leaving out start-up and warm-up.
 */
export function summariseProfile(profile: CpuProfile, top = 15, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let at = profile.startTime;
  const stamps = profile.timeDeltas.map((d) => (at += d));
  let windowUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const t = stamps[i]!;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const us = (stamps[i + 1] ?? profile.endTime) - t;
    const frame = frames.get(profile.samples[i]!)!;
    const name = frame.functionName || "(anonymous)";
    windowUs += us;
    if (name === "(idle)") idleUs += us;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
    const key = `${name}\u0000${where}`;
    const entry = self.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    self.set(key, entry);
  }
  const busyUs = windowUs - idleUs;
  const rows = [...self.values()]
    .filter((e) => e.name !== "(idle)")
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: busyUs ? e.us / busyUs : 0 }));
  return { windowMs: windowUs / 1000, busyMs: busyUs / 1000, rows };
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
}

function shortUrl(url: string): string {
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const rel = path.startsWith(root) ? relative(root, path) : path;
  // node_modules/<pkg>/…/file.js is enough to know whose code it is.
  return rel.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:.*\/)?([^/]+)$/, "$1/…/$2");
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [`  busy ${summary.busyMs.toFixed(0)} ms of ${summary.windowMs.toFixed(0)} ms sampled`];
  for (const r of summary.rows) lines.push(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.name}  ${r.where}`);
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error("usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]");
  console.log(formatProfile(summariseProfile(readProfile(file), Number(top ?? 15))));
}
