/**
 * A Node built-in module when the code runs on Node, else undefined; found without an import so
 * that the Worker bundle never references Node modules (workerd has no `process` without
 * nodejs_compat). Node runs every Web Crypto call as a thread-pool job; for the small hashes and
 * MACs done per request or per email, node:crypto's synchronous functions are many times cheaper.
 */
export function nodeBuiltin<T>(id: "node:crypto" | "node:buffer"): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}
