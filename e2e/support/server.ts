import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";

// The real Node entry, started the way `npm start` does (tsx), on a fresh embedded database.
export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningServer {
  /** http://localhost:<port>: the same origin the app writes into email links. */
  origin: string;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of ["DATABASE_URL", "TEST_DATABASE_URL", "APP_URL", "DATA_DIR", "PORT", "HOST", "TRUST_PROXY", "TRUSTED_PROXIES", "NODE_OPTIONS", "POSTMARK_SERVER_TOKEN", "REMINDERS"]) delete base[name];
  return { ...base, ...extra };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

/** Starts `src/entries/node.ts` on a free port and a new DATA_DIR, and waits for /healthz. */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "smarttask-e2e-"));
  const env = { PORT: String(port), DATA_DIR: dataDir, REMINDERS: "off" };
  const child = spawn(process.execPath, ["--import", "tsx", "src/entries/node.ts"], { cwd: root, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const origin = `http://localhost:${port}`;

  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start (code ${child.exitCode}): ${output}`);
    const res = await fetch(`${origin}/healthz`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not become healthy: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    origin,
    port,
    dataDir,
    env,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited(child);
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh server (and database) for every test of the calling file. The returned object is
 * filled in before each test runs.
 */
export function useServer(): RunningServer {
  const current = {} as RunningServer;
  beforeEach(async () => {
    Object.assign(current, await startServer());
  });
  afterEach(async () => {
    await current.stop?.();
  });
  return current;
}

/** `npm run reminders -- --now <iso>` against the running server's data directory. */
export async function runRemindersCli(server: RunningServer, nowIso: string): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/reminders.ts", "--now", nowIso], {
    cwd: root,
    env: cleanEnv(server.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  await exited(child);
  clearTimeout(timer);
  if (child.exitCode !== 0) throw new Error(`npm run reminders failed (${child.exitCode ?? child.signalCode}): ${err}${out}`);
  return out;
}
