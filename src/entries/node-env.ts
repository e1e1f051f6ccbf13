import { isIP } from "node:net";
import { z } from "zod";
import { DEFAULT_SERVER_DRIVER } from "../db/node-database.js";
import { DEFAULT_EMAIL } from "../config.js";
import { parseTrustedProxies, type TrustedProxies } from "./client-address.js";
import { isPostgresUrl, POSTGRES_URL_HINT } from "./settings.js";

/** The Node entry's environment, checked once at start; a bad value stops the start with one line. */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The address the public port listens on: all IPv4 interfaces by default; 127.0.0.1 behind a proxy on the same host. */
  HOST: z
    .string()
    .default("0.0.0.0")
    .transform((v) => v.trim() || "0.0.0.0")
    .refine((v) => isIP(v) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(v), {
      message: "HOST must be an IP address or a host name, such as 0.0.0.0, 127.0.0.1 or ::",
    }),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || isPostgresUrl(v), { message: `DATABASE_URL ${POSTGRES_URL_HINT}` }),
  /** Client library for DATABASE_URL: postgres.js (postgres-js, the default) or node-postgres (pg). */
  DATABASE_DRIVER: z.enum(["pg", "postgres-js"], { error: "DATABASE_DRIVER must be pg or postgres-js" }).default(DEFAULT_SERVER_DRIVER),
  DATA_DIR: z.string().default("./.data"),
  APP_URL: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), {
      message: "APP_URL must be an http(s) URL such as https://tasks.example.com",
    }),
  /** Removed: it believed X-Forwarded-For from any peer. Set, it stops the start and points to TRUSTED_PROXIES. */
  TRUST_PROXY: optional(
    z.string().refine(() => false, {
      message: "is no longer read (it trusted X-Forwarded-For from anyone); remove it and set TRUSTED_PROXIES to your reverse proxy's addresses, such as 127.0.0.1 or 10.0.0.0/8",
    }),
  ),
  /** Reverse proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDRs; empty, none. */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v, ctx): TrustedProxies => {
      const parsed = parseTrustedProxies(v);
      if ("invalid" in parsed) {
        ctx.addIssue({ code: "custom", message: `"${parsed.invalid}" is not an IP address or CIDR range (such as 10.0.0.1, 10.0.0.0/8 or fd00::/8)` });
        return z.NEVER;
      }
      return parsed;
    }),
  /** Reminder emails: Postmark when a server token is set, else kept in the dev mailbox. */
  POSTMARK_SERVER_TOKEN: optional(z.string()),
  POSTMARK_API_URL: optional(z.url({ protocol: /^https?$/, error: "POSTMARK_API_URL must be an http(s) URL" })),
  POSTMARK_MESSAGE_STREAM: z.string().default(DEFAULT_EMAIL.messageStream),
  POSTMARK_TRANSACTIONAL_STREAM: z.string().default(DEFAULT_EMAIL.transactionalStream),
  EMAIL_FROM: z.string().default(DEFAULT_EMAIL.emailFrom),
  SIGNING_SECRET: optional(z.string().min(32, "SIGNING_SECRET must be at least 32 characters")),
  /** off: no in-process schedule (another process or the Worker's cron runs the reminders). */
  REMINDERS: z.enum(["on", "off"], { error: "REMINDERS must be on or off" }).default("on"),
});

/** An optional variable: unset and empty both mean "not configured". */
function optional<T extends z.ZodType<string>>(inner: T) {
  return z.preprocess((v) => (v === "" ? undefined : v), inner.optional());
}

export type NodeEnv = z.infer<typeof schema>;

export function parseNodeEnv(env: Record<string, string | undefined>): NodeEnv {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${issue.path.join(".")}: ${issue.message}`);
  }
  return result.data;
}

/** A configuration mistake: printed as one line, without a stack trace. */
export class ConfigError extends Error {}

/** The public origin: APP_URL, or this machine on PORT when none is set. */
export function appUrlOf(env: NodeEnv): URL {
  return new URL(env.APP_URL ?? `http://localhost:${env.PORT}`);
}
