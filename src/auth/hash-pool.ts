import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import Tinypool from "tinypool";
import { PasswordHasherBusy, type Argon2Compute } from "./password.js";

/**
 * Hashing threads: one per core but one, so a core stays with the event loop, which also runs
 * embedded PGlite, rendering and compression. A single-core machine still gets one thread: the
 * kernel then shares the core, but a hash no longer holds the event loop for 65 ms.
 */
export function defaultHashThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** Waiting hashes per thread: at about 65 ms a hash, 32 is about 2 s of waiting; past that a client is told to come back. */
export const QUEUE_PER_THREAD = 32;
const HASH_MS = 65;

export interface HashPool {
  compute: Argon2Compute;
  threads: number;
  maxQueue: number;
  /** Resolves once a thread has hashed (the WebAssembly compiled); rejects when no thread can start. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * argon2id on worker threads (Node only; the Worker hashes in its isolate). A full queue rejects
 * at once with PasswordHasherBusy, which the app answers with 503 and Retry-After.
 */
export function createHashPool({ threads = defaultHashThreads(), maxQueue = threads * QUEUE_PER_THREAD }: { threads?: number; maxQueue?: number } = {}): HashPool {
  const pool = new Tinypool({
    // This file's sibling, loaded by the thread as this file was (.ts under tsx, which the thread inherits).
    filename: new URL(`./argon2-node${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue,
  });
  const retryAfterSeconds = Math.max(1, Math.ceil((maxQueue * HASH_MS) / threads / 1000));
  const compute: Argon2Compute = (input) =>
    pool.run(input).catch((err: unknown) => {
      // tinypool's only signal for a full queue is this message.
      if (err instanceof Error && err.message === "Task queue is at limit") throw new PasswordHasherBusy(retryAfterSeconds);
      throw err;
    }) as Promise<Uint8Array>;
  // A thread that fails to load emits "error" on the pool (unheard, it would crash the process) and
  // leaves the queue waiting: ready() reports it at start, later ones are logged.
  let failed: ((err: Error) => void) | undefined;
  pool.on("error", (err: Error) => {
    if (failed) failed(err);
    else console.error(JSON.stringify({ event: "auth.hash_thread_error", message: err.message }));
  });
  const ready = () =>
    new Promise<void>((resolve, reject) => {
      failed = reject;
      const warmUp = { password: new Uint8Array(8), salt: new Uint8Array(16), params: { memorySize: 8, passes: 1, parallelism: 1, tagLength: 32 } };
      compute(warmUp).then(() => resolve(), reject);
    }).finally(() => (failed = undefined));
  return { compute, threads, maxQueue, ready, close: () => pool.destroy() };
}
