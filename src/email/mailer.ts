import { DEFAULT_EMAIL, type AppConfig } from "../config.js";

/** One email as Postmark's batch endpoint takes it. */
export interface OutgoingEmail {
  From: string;
  To: string;
  Subject: string;
  HtmlBody: string;
  TextBody: string;
  MessageStream: string;
  Headers: { Name: string; Value: string }[];
  Tag?: string;
}

/**
 * What became of one message. `retry` is for trouble that may pass (rate limit, server error,
 * timeout, network); `suppressed` is Postmark's inactive recipient (406); `failed` is final.
 */
export type SendOutcome =
  | { outcome: "sent"; messageId: string }
  | { outcome: "suppressed"; error: string }
  | { outcome: "failed"; error: string }
  | { outcome: "retry"; error: string };

export interface Mailer {
  /** "dev" keeps mail in the database for /dev/mailbox; "postmark" sends it. */
  readonly kind: "dev" | "postmark";
  /**
   * Sends up to MAX_BATCH messages; answers one outcome per message, in order. `sentAt` is the
   * job's "now" (which `npm run reminders -- --now` chooses), for mailers that keep a date.
   */
  sendBatch(messages: OutgoingEmail[], sentAt?: Date): Promise<SendOutcome[]>;
}

/** Postmark's batch endpoint takes at most 500 messages per call. */
export const MAX_BATCH = 500;

/** A stored message (a reminder or account mail row) as Postmark takes it, from the configured sender. */
export function outgoingEmail(
  config: AppConfig,
  row: { toAddress: string; subject: string; htmlBody: string; textBody: string },
  how: { stream: string; tag: string; headers?: OutgoingEmail["Headers"] },
): OutgoingEmail {
  return {
    From: config.emailFrom ?? DEFAULT_EMAIL.emailFrom,
    To: row.toAddress,
    Subject: row.subject,
    HtmlBody: row.htmlBody,
    TextBody: row.textBody,
    MessageStream: how.stream,
    Tag: how.tag,
    Headers: how.headers ?? [],
  };
}
