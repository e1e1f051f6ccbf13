import { ServerClient } from "postmark";
import type { Mailer, OutgoingEmail, SendOutcome } from "./mailer.js";

/** Postmark's ErrorCode for a recipient it has marked inactive (hard bounce, spam complaint). */
const INACTIVE_RECIPIENT = 406;

export interface PostmarkOptions {
  serverToken: string;
  /** Base URL of the API; Postmark's own by default, a local stand-in in tests. */
  apiUrl?: string;
  timeoutSeconds?: number;
}

/**
 * Sends through Postmark's batch endpoint with the official `postmark` client (fetch-based,
 * so it runs on Node and in workerd). Each message of a batch is judged on its own ErrorCode.
 */
export function createPostmarkMailer(opts: PostmarkOptions): Mailer {
  const url = new URL(opts.apiUrl ?? "https://api.postmarkapp.com");
  const client = new ServerClient(opts.serverToken, {
    useHttps: url.protocol === "https:",
    requestHost: url.host,
    timeout: opts.timeoutSeconds ?? 30,
  });
  return {
    kind: "postmark",
    async sendBatch(messages: OutgoingEmail[]): Promise<SendOutcome[]> {
      if (messages.length === 0) return [];
      try {
        const results = await client.sendEmailBatch(messages);
        return messages.map((_, i) => judge(results[i]));
      } catch (err) {
        const outcome = classifyRequestError(err as { statusCode?: number; code?: number; message?: string });
        return messages.map(() => outcome);
      }
    },
  };
}

function judge(result: { ErrorCode: number; Message: string; MessageID?: string } | undefined): SendOutcome {
  if (!result) return { outcome: "retry", error: "Postmark answered without a result for this message" };
  if (result.ErrorCode === 0 && result.MessageID) return { outcome: "sent", messageId: result.MessageID };
  const error = `Postmark ${result.ErrorCode}: ${result.Message}`;
  return result.ErrorCode === INACTIVE_RECIPIENT ? { outcome: "suppressed", error } : { outcome: "failed", error };
}

/** The whole request failed: 429, 5xx, timeouts and network errors may pass; anything else will not. */
function classifyRequestError(err: { statusCode?: number; code?: number; message?: string }): SendOutcome {
  const status = err.statusCode ?? 0;
  const error = `Postmark request failed${status ? ` (HTTP ${status})` : ""}: ${err.message ?? "unknown error"}`;
  if (status === 0 || status === 429 || status >= 500) return { outcome: "retry", error };
  return { outcome: "failed", error };
}
