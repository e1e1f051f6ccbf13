import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "./node-env.js";

export function ensureWritable(dir: string) {
  try {
    makeDirectory(resolve(dir));
    if (!statSync(dir).isDirectory()) throw new Error("not a directory");
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError(`DATA_DIR ${dir} is not a writable directory`);
  }
}

/**
 * mkdir -p one level at a time: Node's own `mkdirSync(dir, { recursive: true })` never returns for
 * some impossible paths (such as /proc/forbidden on Linux), which hung the start instead of failing it.
 */
function makeDirectory(dir: string) {
  try {
    mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw err;
    makeDirectory(dirname(dir));
    mkdirSync(dir);
  }
}

/** What actually went wrong: Drizzle wraps driver errors ("Failed query: …"), and a refused connection to a host with several addresses is an AggregateError without a message. */
export function rootCause(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  if (e instanceof AggregateError && e.errors.length) return e.errors.map((x: Error) => x.message).join("; ");
  return (e instanceof Error ? e.message : String(e)) || String(e);
}

