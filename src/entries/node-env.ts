import { z } from "zod";

/** The Node entry's environment, checked once at start; a bad value stops the start with one line. */
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      message: "DATABASE_URL must look like postgres://user:password@host:5432/database",
    }),
  DATA_DIR: z.string().default("./.data"),
  APP_URL: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), {
      message: "APP_URL must be an http(s) URL such as https://tasks.example.com",
    }),
  TRUST_PROXY: z.enum(["true", "false", ""]).default("false"),
});

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
