// One of Node's password-hashing threads (src/auth/hash-pool.ts runs it through tinypool).
import { loadArgon2ForNode } from "./argon2-node.js";
import type { Argon2Compute } from "./password.js";

// Compiled before the thread reports ready, so the first sign-in does not pay for it.
const argon2 = await loadArgon2ForNode();

const computeArgon2: Argon2Compute = async ({ password, salt, params }) => argon2({ password, salt, ...params });
export default computeArgon2;
