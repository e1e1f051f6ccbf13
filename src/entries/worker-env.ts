import { z } from "zod";

/**
 * The Worker's bindings.
 * Secrets: DATABASE_URL (Neon connection string, `wrangler secret put DATABASE_URL`).
 * Variables: APP_URL (public origin, in wrangler.toml [vars]).
 */
export interface Env {
  DATABASE_URL: string;
  APP_URL: string;
}

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, "DATABASE_URL must be a postgres:// connection string"),
  APP_URL: z.url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL" }),
});

/** Checks the bindings before the app runs; a wrong one becomes a clear 500, not a crash later. */
export function checkWorkerEnv(env: Partial<Env>): { ok: true; env: Env } | { ok: false; message: string } {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, env: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, message: `SmartTask is misconfigured: ${issue.path.join(".")}: ${issue.message}` };
}
