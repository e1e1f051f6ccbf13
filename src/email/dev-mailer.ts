import type { Database } from "../db/database.js";
import { storeMail } from "../db/dev-mailbox.js";
import type { Clock } from "../clock.js";
import type { Mailer } from "./mailer.js";

/**
 * Without a Postmark token nothing leaves the machine: messages are kept in the database and
 * shown to their recipient at /dev/mailbox, exactly as they would have been sent.
 */
export function createDevMailer(database: Pick<Database, "db">, clock: Clock): Mailer {
  return {
    kind: "dev",
    async sendBatch(messages, sentAt) {
      const ids = await storeMail(
        database.db,
        messages.map((m) => ({
          toAddress: m.To,
          fromAddress: m.From,
          subject: m.Subject,
          htmlBody: m.HtmlBody,
          textBody: m.TextBody,
          headers: m.Headers,
          messageStream: m.MessageStream,
          createdAt: sentAt ?? clock.now(),
        })),
      );
      return ids.map((id) => ({ outcome: "sent" as const, messageId: `dev-${id}` }));
    },
  };
}
