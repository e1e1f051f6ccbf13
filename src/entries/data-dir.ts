import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The embedded database belongs to one process at a time: two PGlite instances on one directory
 * would corrupt it. Whoever opens it holds DATA_DIR/smarttask.lock (its pid); a lock left by a
 * process that no longer exists is taken over.
 */
export function lockDataDir(dir: string): { release(): void } | { heldBy: number } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "smarttask.lock");
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return { release: () => rmSync(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(path, "utf8"));
      if (isAlive(pid) && pid !== process.pid) return { heldBy: pid };
      rmSync(path, { force: true });
    }
  }
  return { heldBy: -1 };
}

export interface ControlFile {
  pid: number;
  /** The run endpoint on the server's own loopback listener (an ephemeral port), never the public port. */
  runUrl: string;
  secret: string;
}

/** Where a running server tells `npm run reminders` how to reach it (readable by the owner only). */
export function writeControlFile(dir: string, control: ControlFile): () => void {
  const path = join(dir, "control.json");
  writeFileSync(path, JSON.stringify(control), { mode: 0o600 });
  return () => rmSync(path, { force: true });
}

export function readControlFile(dir: string): ControlFile | null {
  try {
    const control = JSON.parse(readFileSync(join(dir, "control.json"), "utf8")) as ControlFile;
    // The secret is only ever sent to loopback.
    if (typeof control.runUrl !== "string" || !control.runUrl.startsWith("http://127.0.0.1:")) return null;
    return isAlive(control.pid) ? control : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
