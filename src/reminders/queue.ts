import { retriesAmong, sendableIds } from "../db/outbox-queue.js";
import type { JobDeps } from "./jobs.js";
import { sendPending, type SendResult } from "./send.js";
import { UUID } from "../tasks/cursor.js";

/** A queue message names outbox rows; Cloudflare Queues messages stay small (≤ 100 ids). */
export interface SendMessage {
  ids: string[];
}

export const IDS_PER_MESSAGE = 100;
/** Cloudflare Queues accept at most 100 messages per sendBatch call. */
const MESSAGES_PER_CALL = 100;

/** What the producer side needs from a queue; the Worker passes its Queue binding. */
export interface SendQueue {
  sendBatch(messages: { body: SendMessage; delaySeconds?: number }[]): Promise<unknown>;
}

/**
 * The cron side of sending at scale: it never sends itself, it enqueues the ids of every row
 * that can be sent now, 100 ids a message. Re-enqueueing a row already queued is harmless:
 * only one consumer can claim it.
 */
export async function enqueueSendable(deps: JobDeps, queue: SendQueue, now: Date, limit = 50_000): Promise<number> {
  const ids = await sendableIds(deps.database.db, now, limit);
  const messages = chunk(ids, IDS_PER_MESSAGE).map((part) => ({ body: { ids: part } }));
  for (const batch of chunk(messages, MESSAGES_PER_CALL)) await queue.sendBatch(batch);
  return ids.length;
}

/**
 * The consumer: claims and sends exactly the rows a message names (the outbox decides what is
 * still to be sent, so a redelivered message sends nothing twice), then re-enqueues the rows that
 * wait for a retry with the delay their backoff asks for.
 */
export async function consumeSendMessage(deps: JobDeps, queue: SendQueue, message: SendMessage, now: Date): Promise<SendResult> {
  const ids = message.ids.filter((id) => UUID.test(id)).slice(0, IDS_PER_MESSAGE);
  const result = await sendPending(deps, now, { ids, limit: ids.length });
  if (result.retrying > 0) {
    for (const retry of await retriesAmong(deps.database.db, ids)) {
      const delaySeconds = Math.min(12 * 3600, Math.max(0, Math.ceil((retry.at.getTime() - now.getTime()) / 1000)));
      await queue.sendBatch([{ body: { ids: [retry.id] }, delaySeconds }]);
    }
  }
  return result;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
