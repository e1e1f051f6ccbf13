import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { computeHash } from "argon2id/lib/setup.js";
import setupWasm from "argon2id/lib/setup.js";

// Also the entry of Node's hashing threads (src/auth/hash-pool.ts): it imports packages only, no
// file of ours, so a thread loads it under tsx (`npm start`) and under Node's own type stripping alike.

const require = createRequire(import.meta.url);

/** Node loads the argon2id WebAssembly from the package's files; SIMD when the CPU has it. */
export async function loadArgon2ForNode() {
  const [simd, noSimd] = await Promise.all([
    readFile(require.resolve("argon2id/dist/simd.wasm")),
    readFile(require.resolve("argon2id/dist/no-simd.wasm")),
  ]);
  return setupWasm(
    (imports) => WebAssembly.instantiate(simd, imports),
    (imports) => WebAssembly.instantiate(noSimd, imports),
  );
}

let onThisThread: Promise<computeHash> | undefined;

/** One hash on a hashing thread (tinypool calls the default export): the same input as Argon2Compute. */
export default async function computeOnThread(input: {
  password: Uint8Array;
  salt: Uint8Array;
  params: { memorySize: number; passes: number; parallelism: number; tagLength: number };
}): Promise<Uint8Array> {
  onThisThread ??= loadArgon2ForNode();
  return (await onThisThread)({ password: input.password, salt: input.salt, ...input.params });
}
