import type { AppConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { systemClock } from "../clock.js";
import { createDevMailer } from "../email/dev-mailer.js";
import type { Mailer } from "../email/mailer.js";
import { createPostmarkMailer } from "../email/postmark-mailer.js";
import type { NodeEnv } from "./node-env.js";

/** Postmark when a server token is configured; otherwise the dev mailbox, and nothing leaves the machine. */
export function nodeMailer(env: NodeEnv, database: Database): Mailer {
  return env.POSTMARK_SERVER_TOKEN
    ? createPostmarkMailer({ serverToken: env.POSTMARK_SERVER_TOKEN, apiUrl: env.POSTMARK_API_URL })
    : createDevMailer(database, systemClock);
}

export function nodeAppConfig(env: NodeEnv, appUrl: URL): AppConfig {
  return {
    appUrl,
    emailFrom: env.EMAIL_FROM,
    messageStream: env.POSTMARK_MESSAGE_STREAM,
    signingSecret: env.SIGNING_SECRET,
  };
}

export function appUrlOf(env: NodeEnv): URL {
  return new URL(env.APP_URL ?? `http://localhost:${env.PORT}`);
}
