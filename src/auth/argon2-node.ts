import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import setupWasm from "argon2id/lib/setup.js";

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
