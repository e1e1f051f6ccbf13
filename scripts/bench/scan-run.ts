// One reminder scan in a process of its own, so its peak memory is the scan's and not the
// benchmark's. Started by scan.ts with the database in DATABASE_URL or DATA_DIR and the scan's
// `now` in BENCH_SCAN_NOW; prints one JSON line with the figures.
import { systemClock } from "../../src/clock.js";
import { openNodeDatabase } from "../../src/db/node-database.js";
import { createDevMailer } from "../../src/email/dev-mailer.js";
import type { JobDeps } from "../../src/reminders/jobs.js";
import { scanReminders } from "../../src/reminders/scan.js";

export interface ScanFigures {
  seconds: number;
  /**
   * CPU time of the scan's process (user + system): the JavaScript work the Worker's CPU limit
   * counts (composing, signing, the driver), which waiting on the database is not.
   */
  cpuSeconds: number;
  calls: number;
  usersScanned: number;
  emailsQueued: number;
  statements: number;
  /** Resident memory just before the scan (runtime, modules, database driver) and at its peak. */
  rssBeforeMb: number;
  peakRssMb: number;
}

const now = new Date(process.env.BENCH_SCAN_NOW ?? "");
if (Number.isNaN(now.getTime())) throw new Error("BENCH_SCAN_NOW must be an ISO-8601 instant");

// Already migrated and seeded by the parent.
const database = await openNodeDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR, migrate: false });
// As scripts/reminders.ts builds them; the scan only queues mail, it never sends any.
const deps: JobDeps = { database, mailer: createDevMailer(database, systemClock), config: { appUrl: new URL("http://127.0.0.1:3000") } };

const rssBefore = process.memoryUsage().rss;
const statementsBefore = database.roundTrips();
const started = performance.now();
const cpuBefore = process.cpuUsage();
const figures = { calls: 0, usersScanned: 0, emailsQueued: 0 };
// Each call stops after its batch bound; the hourly job would call again, so the benchmark does too.
for (let more = true; more; ) {
  const result = await scanReminders(deps, now);
  figures.calls += 1;
  figures.usersScanned += result.usersScanned;
  figures.emailsQueued += result.emailsQueued;
  more = result.more;
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const statements = database.roundTrips() - statementsBefore;
await database.close();

const out: ScanFigures = {
  seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  ...figures,
  statements,
  rssBeforeMb: rssBefore / 2 ** 20,
  // maxRSS is in KiB on Linux: the high-water mark of the whole process, which is the scan's here.
  peakRssMb: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(out));
