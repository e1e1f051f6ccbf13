import { readFileSync, writeFileSync } from "node:fs";
import type { LoadResult } from "./load.js";
import type { ProfileSummary } from "./profile-summary.js";
import type { Target } from "./routes.js";
import type { ScanOutcome } from "./scan.js";

/** Everything one run found, rendered both for the terminal and for docs/benchmarks.md. */
export interface Report {
  meta: { date: string; commit: string; node: string; cores: number; cpu: string; mode: string; database: string; load: string; dataShape: string };
  routes: { name: string; kind: "ceiling" | "app"; result: LoadResult; target?: Target }[];
  /** The in-memory page's req/s, the denominator of every ratio. */
  pageCeilingRps?: number;
  scans: ScanOutcome[];
  notes: string[];
  profiles: { route: string; summary: ProfileSummary }[];
}

export const PAGE_CEILING = "Hono in-memory /tasks page";

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));

function verdict(result: LoadResult, ratio: number | undefined, t: Target | undefined): string {
  if (!t) return result.failures ? "FAIL (bad responses)" : "—";
  const misses: string[] = [];
  if (t.minRps !== undefined && result.rps < t.minRps) misses.push("req/s");
  if (t.maxP99Ms !== undefined && result.p99 >= t.maxP99Ms) misses.push("p99");
  if (t.minRatio !== undefined && (ratio === undefined || ratio < t.minRatio)) misses.push("ratio");
  if (result.failures) misses.push("bad responses");
  return misses.length ? `FAIL (${misses.join(", ")})` : "PASS";
}

function targetText(t: Target | undefined): string {
  if (!t) return "—";
  const parts = [t.minRps !== undefined && `≥ ${int(t.minRps)} req/s`, t.maxP99Ms !== undefined && `p99 < ${t.maxP99Ms} ms`, t.minRatio !== undefined && `≥ ${t.minRatio}×`];
  return parts.filter(Boolean).join(", ");
}

function routeRows(r: Report): string[][] {
  return r.routes.map(({ name, result, target }) => {
    const ratio = r.pageCeilingRps ? result.rps / r.pageCeilingRps : undefined;
    return [
      name,
      int(result.rps),
      ms(result.p50),
      ms(result.p99),
      ratio === undefined ? "—" : ratio.toFixed(2),
      (result.bytesPerResponse / 1024).toFixed(1),
      result.failures ? `${int(result.failures)} (${Object.entries(result.statuses).map(([c, n]) => `${c}×${n}`).join(" ")})` : "0",
      targetText(target),
      verdict(result, ratio, target),
    ];
  });
}
const ROUTE_HEAD = ["Route", "req/s", "p50 ms", "p99 ms", "× in-memory page", "KiB/resp", "bad resp.", "Target", "Result"];

function scanRows(r: Report): string[][] {
  return r.scans.map(({ scenario, seedSeconds, figures: f }) => {
    const misses = [f.seconds >= scenario.maxSeconds && "time", scenario.maxPeakMb !== undefined && f.peakRssMb >= scenario.maxPeakMb && "memory", f.usersScanned === 0 && "nobody scanned"].filter(Boolean);
    return [
      scenario.name,
      f.seconds.toFixed(2),
      f.cpuSeconds.toFixed(2),
      int(f.peakRssMb),
      int(f.rssBeforeMb),
      int(f.statements),
      String(f.calls),
      int(f.usersScanned),
      int(f.emailsQueued),
      seedSeconds.toFixed(1),
      `< ${scenario.maxSeconds} s${scenario.maxPeakMb ? `, < ${scenario.maxPeakMb} MB` : ""}`,
      misses.length ? `FAIL (${misses.join(", ")})` : "PASS",
    ];
  });
}
const SCAN_HEAD = ["Scenario", "scan s", "CPU s", "peak RSS MB", "RSS before MB", "statements", "calls", "users scanned", "emails queued", "seed s", "Target", "Result"];

function metaLines(r: Report): string[] {
  const m = r.meta;
  return [
    `Date: ${m.date} · commit ${m.commit} · Node ${m.node} · ${m.cores} cores (${m.cpu}) · ${m.mode}`,
    `Database: ${m.database}`,
    `Load data: ${m.dataShape}`,
    `Load: ${m.load}`,
  ];
}

function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Figures right-aligned, words (the columns named in `words`) left-aligned. */
function markdownTable(head: string[], rows: string[][], words: string[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map((h) => (words.includes(h) ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

export function formatText(r: Report, formatProfile: (s: ProfileSummary) => string): string {
  const out = [...metaLines(r)];
  if (r.routes.length) out.push("", textTable(ROUTE_HEAD, routeRows(r)));
  if (r.scans.length) out.push("", "Reminder scan", textTable(SCAN_HEAD, scanRows(r)));
  if (r.notes.length) out.push("", ...r.notes.map((n) => `Note: ${n}`));
  for (const p of r.profiles) out.push("", `CPU profile of the server, self time, during ${p.route}:`, formatProfile(p.summary));
  return out.join("\n");
}

export function formatMarkdown(r: Report): string {
  const out = ["## Latest run", "", ...metaLines(r).map((l) => `- ${l}`)];
  if (r.routes.length) out.push("", "### HTTP", "", markdownTable(ROUTE_HEAD, routeRows(r), ["Route", "Target", "Result"]));
  if (r.scans.length) out.push("", "### Reminder scan", "", markdownTable(SCAN_HEAD, scanRows(r), ["Scenario", "Target", "Result"]));
  if (r.notes.length) out.push("", ...r.notes.map((n) => `- ${n}`));
  for (const p of r.profiles) {
    out.push("", `### CPU profile: ${p.route}`, "", `Server self time while this route was measured: busy ${p.summary.busyMs.toFixed(0)} ms of ${p.summary.windowMs.toFixed(0)} ms sampled.`, "");
    out.push(markdownTable(["Share", "self ms", "Function", "Where"], p.summary.rows.map((row) => [`${(row.share * 100).toFixed(1)}%`, row.selfMs.toFixed(0), `\`${row.name}\``, row.where ? `\`${row.where}\`` : ""]), ["Function", "Where"]));
  }
  return out.join("\n");
}

export const START = "<!-- bench:results:start (written by npm run bench; edit above this line) -->";
export const END = "<!-- bench:results:end -->";

/** Replaces the marked section of docs/benchmarks.md, keeping whatever was written by hand around it. */
export function writeResults(file: string, markdown: string): void {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text = "# Benchmarks\n\n";
  }
  const section = `${START}\n${markdown}\n${END}`;
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + END.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
