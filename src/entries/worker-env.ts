import { z } from "zod";
import type { SendMessage } from "../reminders/queue.js";

/**
 * The Worker's bindings.
 * Secrets (`wrangler secret put NAME`): DATABASE_URL (Neon connection string),
 *   POSTMARK_SERVER_TOKEN, SIGNING_SECRET (signs email links).
 * Variables ([vars] in wrangler.toml): APP_URL, EMAIL_FROM, POSTMARK_MESSAGE_STREAM, POSTMARK_API_URL.
 */
export type Env = Omit<Cloudflare.Env, "EMAIL_QUEUE" | "APP_URL" | "EMAIL_FROM" | "POSTMARK_MESSAGE_STREAM"> & WorkerSecrets & {
  // Bindings and [vars] come from `npm run types:worker` (wrangler types, worker-configuration.d.ts);
  // vars are widened from their literal wrangler.toml values, and the queue gets its message type.
  EMAIL_QUEUE: Queue<SendMessage>;
  APP_URL: string;
  EMAIL_FROM?: string;
  POSTMARK_MESSAGE_STREAM?: string;
};

/** Secrets and local-only settings: not in wrangler.toml, so `wrangler types` cannot see them. */
interface WorkerSecrets {
  DATABASE_URL: string;
  POSTMARK_SERVER_TOKEN?: string;
  POSTMARK_API_URL?: string;
  SIGNING_SECRET?: string;
  /** Local development and tests only: host:port of scripts/ws-proxy.mjs. Never set in production. */
  NEON_WS_PROXY?: string;
}

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, "DATABASE_URL must be a postgres:// connection string"),
  APP_URL: z.url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL" }),
  POSTMARK_SERVER_TOKEN: z.string().optional(),
  POSTMARK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  POSTMARK_MESSAGE_STREAM: z.string().optional(),
  EMAIL_FROM: z.string().optional(),
  SIGNING_SECRET: z.string().min(32).optional(),
  NEON_WS_PROXY: z.string().regex(/^(127\.0\.0\.1|localhost|\[::1\]):\d+$/, "NEON_WS_PROXY must be a loopback host:port").optional(),
});

/** Checks the bindings before the app runs; a wrong one becomes a clear 500, not a crash later. */
export function checkWorkerEnv(env: Partial<Env>): { ok: true; env: z.infer<typeof schema> } | { ok: false; message: string } {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, env: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, message: `SmartTask is misconfigured: ${issue.path.join(".")}: ${issue.message}` };
}
