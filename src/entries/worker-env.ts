import { z } from "zod";
import type { SendMessage } from "../reminders/queue.js";
import { isPostgresUrl, POSTGRES_URL_HINT } from "./settings.js";
import { MISSING_POSTMARK_TOKEN, productionAppUrlProblem, productionEmailFromProblem } from "./production-config.js";

/**
 * The Worker's bindings.
 * Secrets (`wrangler secret put NAME`): DATABASE_URL (Neon connection string),
 *   POSTMARK_SERVER_TOKEN, SIGNING_SECRET (signs email links).
 * Variables given per deployment (`npm run deploy` passes them as `--var`; `npm run dev` and
 *   `.dev.vars` locally): APP_URL, EMAIL_FROM. In wrangler.toml [vars]: POSTMARK_MESSAGE_STREAM.
 */
export type Env = Omit<Cloudflare.Env, "EMAIL_QUEUE" | "POSTMARK_MESSAGE_STREAM"> & WorkerSecrets & DeployVars & {
  // Bindings and [vars] come from `npm run types:worker` (wrangler types, worker-configuration.d.ts);
  // vars are widened from their literal wrangler.toml values, and the queue gets its message type.
  EMAIL_QUEUE: Queue<SendMessage>;
  POSTMARK_MESSAGE_STREAM?: string;
  POSTMARK_TRANSACTIONAL_STREAM?: string;
};

/** Per-deployment values, kept out of wrangler.toml so that no localhost value is ever deployed. */
interface DeployVars {
  APP_URL: string;
  EMAIL_FROM?: string;
}

/** Secrets and local-only settings: not in wrangler.toml, so `wrangler types` cannot see them. */
interface WorkerSecrets {
  DATABASE_URL: string;
  POSTMARK_SERVER_TOKEN?: string;
  POSTMARK_API_URL?: string;
  SIGNING_SECRET?: string;
  /**
   * Local development and tests only: host:port of scripts/ws-proxy.mjs. Its presence is what
   * "local development" means here (see localDevelopment).
   */
  NEON_WS_PROXY?: string;
}

const schema = z
  .object({
    DATABASE_URL: z.string().refine(isPostgresUrl, `DATABASE_URL ${POSTGRES_URL_HINT}`),
    APP_URL: z.url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL" }),
    POSTMARK_SERVER_TOKEN: z.string().optional(),
    POSTMARK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
    POSTMARK_MESSAGE_STREAM: z.string().optional(),
    POSTMARK_TRANSACTIONAL_STREAM: z.string().optional(),
    EMAIL_FROM: z.string().optional(),
    SIGNING_SECRET: z.string().min(32).optional(),
    NEON_WS_PROXY: z.string().regex(/^(127\.0\.0\.1|localhost|\[::1\]):\d+$/, "NEON_WS_PROXY must be a loopback host:port").optional(),
  })
  .superRefine((env, ctx) => {
    if (localDevelopment(env)) return;
    const refuse = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const appUrl = productionAppUrlProblem(env.APP_URL);
    if (appUrl) refuse("APP_URL", appUrl);
    if (!env.POSTMARK_SERVER_TOKEN) refuse("POSTMARK_SERVER_TOKEN", MISSING_POSTMARK_TOKEN);
    const emailFrom = productionEmailFromProblem(env.EMAIL_FROM);
    if (emailFrom) refuse("EMAIL_FROM", emailFrom);
  });

/**
 * Local development (`npm run dev`, the workerd tests) is known by NEON_WS_PROXY: the Worker then
 * reaches its database through a proxy on this machine's loopback. Deployed, that address is
 * Cloudflare's own loopback, where no proxy listens, so the setting cannot be left on by mistake
 * and quietly relax the checks: every database query would fail and /healthz would say so.
 * A separate flag such as SMARTTASK_ENV=development would have no such consequence.
 */
function localDevelopment(env: { NEON_WS_PROXY?: string }): boolean {
  return env.NEON_WS_PROXY !== undefined;
}

/** Checks the bindings before the app runs; a wrong one becomes a clear 500, not a crash later. */
export function checkWorkerEnv(env: Partial<Env>): { ok: true; env: z.infer<typeof schema> } | { ok: false; message: string } {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, env: result.data };
  const issue = result.error.issues[0]!;
  const name = issue.path.join(".");
  const what = issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
  return { ok: false, message: `SmartTask is misconfigured: ${what}` };
}
