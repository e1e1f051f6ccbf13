import type { Clock } from "../clock.js";
import type { AppConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { createDevMailer } from "../email/dev-mailer.js";
import type { Mailer } from "../email/mailer.js";
import { createPostmarkMailer } from "../email/postmark-mailer.js";

/**
 * What the Node and Worker entries (and the scripts) read alike from their environment, built the
 * same way by both: each entry checks its own environment with its schema, then hands the shared
 * part here.
 */
export interface SharedSettings {
  POSTMARK_SERVER_TOKEN?: string;
  POSTMARK_API_URL?: string;
  POSTMARK_MESSAGE_STREAM?: string;
  POSTMARK_TRANSACTIONAL_STREAM?: string;
  EMAIL_FROM?: string;
  SIGNING_SECRET?: string;
}

/** A PostgreSQL connection string as every entry and script accepts it. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\/\S+$/.test(text) && URL.canParse(text);
}

export const POSTGRES_URL_HINT = "must look like postgres://user:password@host:5432/database";

export function appConfigFrom(settings: SharedSettings, appUrl: URL): AppConfig {
  return {
    appUrl,
    emailFrom: settings.EMAIL_FROM,
    messageStream: settings.POSTMARK_MESSAGE_STREAM,
    transactionalStream: settings.POSTMARK_TRANSACTIONAL_STREAM,
    signingSecret: settings.SIGNING_SECRET,
  };
}

/** Postmark when a server token is configured; otherwise the dev mailbox, and nothing leaves the machine. */
export function mailerFrom(settings: SharedSettings, database: Database, clock: Clock): Mailer {
  return settings.POSTMARK_SERVER_TOKEN
    ? createPostmarkMailer({ serverToken: settings.POSTMARK_SERVER_TOKEN, apiUrl: settings.POSTMARK_API_URL })
    : createDevMailer(database, clock);
}
