import { readdirSync } from "node:fs";
import { join } from "node:path";
import { databaseEnv, describeDatabase, freshTarget } from "./database.js";
import { measure, type Timing } from "./load.js";
import { readProfile, summariseProfile } from "./profile-summary.js";
import { PAGE_CEILING, type Report } from "./report.js";
import { appRoutes } from "./routes.js";
import { seed, type Shape } from "./seed.js";
import { freePort, signIn, startChild, waitUntilUp } from "./server.js";

export const LOAD_SHAPE: Shape = { users: 100, tasksPerUser: 1000 };

const log = (line: string) => console.log(line);
const brief = (name: string, r: { rps: number; p50: number; p99: number; failures: number }) =>
  log(`  ${name.padEnd(32)} ${Math.round(r.rps).toString().padStart(7)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms${r.failures ? `  ${r.failures} bad responses` : ""}`);

/** The three ceilings, in their own process, measured with the same load as the app. */
export async function measureCeilings(opts: { tmpRoot: string; timing: Timing; profile: boolean }, report: Report): Promise<void> {
  const { timing } = opts;
  const ports = [await freePort(), await freePort(), await freePort()] as const;
  const profileDir = opts.profile ? join(opts.tmpRoot, "cpuprofile-ceilings") : undefined;
  const child = startChild("scripts/bench/ceilings.tsx", { BENCH_CEILING_PORTS: ports.join(",") }, { cpuProfDir: profileDir });
  const windows: Window[] = [];
  try {
    for (const port of ports) await waitUntilUp(child, `http://127.0.0.1:${port}/${port === ports[2] ? "healthz" : ""}`);
    const ceilings = [
      { name: "node:http hello", port: ports[0], path: "/" },
      { name: "Hono hello", port: ports[1], path: "/" },
      { name: PAGE_CEILING, port: ports[2], path: "/tasks" },
    ];
    for (const c of ceilings) {
      const result = await measure(`http://127.0.0.1:${c.port}`, { name: c.name, path: c.path, expect: [200] }, timing);
      report.routes.push({ name: c.name, kind: "ceiling", result });
      if (c.name === PAGE_CEILING) {
        report.pageCeilingRps = result.rps;
        // The rendering cost alone: what the app's page would cost with a free database.
        windows.push({ route: c.name, ...result.window });
      }
      brief(c.name, result);
    }
  } finally {
    await child.stop();
  }
  if (profileDir) addProfiles(profileDir, windows, report);
}

/**
 * Seeds 100 users × 1,000 tasks on a clean database, starts the real Node entry on it, signs in as
 * one of those users and loads each route. With `profile`, the server runs under --cpu-prof and each
 * route's measured seconds are cut out of the one profile by their monotonic timestamps.
 */
export async function measureApp(opts: { url: string | undefined; tmpRoot: string; timing: Timing; profile: boolean }, report: Report): Promise<void> {
  const { target, database } = await freshTarget(opts.url, opts.tmpRoot);
  let seeded;
  try {
    report.meta.database = await describeDatabase(opts.url, database);
    log(`Database: ${report.meta.database}`);
    seeded = await seed(database, LOAD_SHAPE, new Date());
    log(`Seeded ${LOAD_SHAPE.users} users × ${LOAD_SHAPE.tasksPerUser} tasks in ${seeded.seconds.toFixed(1)} s`);
  } finally {
    await database.close();
  }

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const profileDir = opts.profile ? join(opts.tmpRoot, "cpuprofile") : undefined;
  const server = startChild(
    "src/entries/node.ts",
    { ...databaseEnv(target, opts.tmpRoot), HOST: "127.0.0.1", PORT: String(port), APP_URL: origin, REMINDERS: "off", TRUSTED_PROXIES: "" },
    { cpuProfDir: profileDir },
  );
  const windows: Window[] = [];
  try {
    await waitUntilUp(server, `${origin}/healthz`);
    const cookie = await signIn(origin, seeded.signIn.email, seeded.signIn.password);
    const dueDate = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const writerCookies: string[] = [];
    for (const email of seeded.writers) writerCookies.push(await signIn(origin, email, seeded.signIn.password));
    for (const route of appRoutes({ origin, cookie, writerCookies, taskIds: seeded.taskIds, dueDate })) {
      const result = await measure(origin, route, opts.timing);
      report.routes.push({ name: route.name, kind: "app", result, target: route.target });
      windows.push({ route: route.name, ...result.window });
      brief(route.name, result);
    }
  } finally {
    await server.stop();
  }

  if (profileDir) {
    addProfiles(profileDir, windows, report);
    report.notes.push("The servers ran under node --cpu-prof: their figures are somewhat lower than an unprofiled run's.");
  }
}

interface Window {
  route: string;
  fromUs: number;
  toUs: number;
}

/** Cuts each route's measured seconds out of the process's one .cpuprofile and summarises them. */
function addProfiles(profileDir: string, windows: Window[], report: Report): void {
  const file = readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) {
    report.notes.push(`No .cpuprofile was written in ${profileDir} (did the process exit cleanly?).`);
    return;
  }
  const profile = readProfile(join(profileDir, file));
  for (const w of windows) report.profiles.push({ route: w.route, summary: summariseProfile(profile, 15, w) });
}
