import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A free loopback port, chosen by the kernel, so runs never collide with a colleague's server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface Child {
  process: ChildProcess;
  /** The child's last stderr lines, to explain a failed start. */
  stderrTail(): string;
  /** SIGINT (the Node entry closes its database and exits 0, which also writes a --cpu-prof file), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry in its own Node process through tsx, so the server under load has its
 * own core and its own heap, apart from the load generator. With `cpuProfDir` it runs under
 * `node --cpu-prof`, which writes a .cpuprofile there when the process exits.
 */
export function startChild(entry: string, env: Record<string, string>, opts: { cpuProfDir?: string } = {}): Child {
  const flags = opts.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", entry], {
    env: { ...process.env, ...env },
    // stdout carries the app's structured logs (one per sign-in, …): not needed, and never a bottleneck when ignored.
    stdio: ["ignore", "ignore", "pipe"],
  });
  let tail = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    stderrTail: () => tail.trim(),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; fails early with the child's stderr if the child dies. */
export async function waitUntilUp(child: Child, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${url}: the process exited (${child.process.exitCode}) before answering: ${child.stderrTail()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await child.stop();
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s: ${child.stderrTail()}`);
}

/** Signs in through the real POST /login (argon2id and all) and returns the session cookie pair. */
export async function signIn(origin: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    headers: { origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  const cookie = res.headers.getSetCookie().find((line) => /^(__Host-)?session=/.test(line));
  if (res.status !== 303 || !cookie) throw new Error(`sign-in as ${email} failed: HTTP ${res.status}`);
  return cookie.split(";")[0]!;
}
