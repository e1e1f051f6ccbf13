import { LEASE_MS, retriesAmong, sendableIds } from "../db/outbox.js";
import type { JobDeps } from "./jobs.js";
import { scanReminders, type ScanResult } from "./scan.js";
import { sendPending, type SendResult } from "./send.js";
import { UUID } from "../ids.js";

/**
 * A message on the email queue: send these outbox rows (≤ 100 ids, about 4 KB), or go on with the
 * hourly scan of `scanAt` where the last invocation stopped.
 */
export type SendMessage = SendRows | ContinueScan;
export interface SendRows {
  ids: string[];
}
export interface ContinueScan {
  scanAt: string;
}

const IDS_PER_MESSAGE = 100;

/**
 * What one `sendBatch` call may carry on Cloudflare Queues: at most 100 messages and 256 KB in all
 * (1 KB = 1,000 bytes), each message counting up to about 100 bytes of metadata besides its body.
 * Calls are cut to stay under 240 KB, a margin for the body's serialised size differing from JSON's.
 */
const QUEUE_CALL_LIMITS = { messages: 100, bytes: 240_000, metadataBytes: 100 } as const;

/** A queued message may wait at most 12 hours (Cloudflare's limit on delaySeconds). */
const MAX_DELAY_SECONDS = 12 * 3600;

/**
 * When a consumer fails on a message, it comes back after the rows' lease has run out: retried
 * any sooner, it would find its rows still held by the failed attempt, send nothing and be acked,
 * so max_retries and the dead-letter queue would never act.
 */
export const RETRY_AFTER_FAILURE_SECONDS = LEASE_MS / 1000 + 60;

export interface QueuedMessage {
  body: SendMessage;
  delaySeconds?: number;
}

/** What the producer side needs from a queue; the Worker passes its Queue binding. */
export interface SendQueue {
  sendBatch(messages: QueuedMessage[]): Promise<unknown>;
}

/**
 * The cron side of sending at scale: it never sends itself, it enqueues the ids of every row
 * that can be sent now, 100 ids a message, in as few calls as the queue's limits allow.
 * Re-enqueueing a row already queued is harmless: only one consumer can claim it.
 */
export async function enqueueSendable(deps: JobDeps, queue: SendQueue, now: Date, limit = 50_000): Promise<number> {
  const ids = await sendableIds(deps.database.db, now, limit);
  await sendAll(queue, chunk(ids, IDS_PER_MESSAGE).map((part) => ({ body: { ids: part } })));
  return ids.length;
}

/**
 * One bounded step of the hourly scan on the Worker: scans up to `maxBatches` batches of users for
 * the run of `scanAt`, enqueues what there is to send, and when users remain, enqueues a message
 * that continues the scan in the next invocation. Each invocation's CPU time stays bounded however
 * many users there are; the per-user scan markers make a repeated or redelivered step harmless.
 *
 * The cron's own step (`enqueue: "all"`) enqueues every sendable row, retries and leftovers
 * included; a continuation enqueues only the emails it queued itself, so a long scan does not
 * enqueue the same waiting rows again at every step (Queues bill each operation).
 */
export async function scanStep(
  deps: JobDeps,
  queue: SendQueue,
  scanAt: Date,
  now: Date,
  bounds: { maxBatches: number; batchSize?: number; enqueue: "all" | "own" },
): Promise<ScanResult & { enqueued: number; continued: boolean }> {
  const own: string[] = [];
  const scan = await scanReminders(deps, scanAt, { ...bounds, onQueued: (ids) => own.push(...ids) });
  let enqueued: number;
  if (bounds.enqueue === "all") enqueued = await enqueueSendable(deps, queue, now);
  else {
    await sendAll(queue, chunk(own, IDS_PER_MESSAGE).map((part) => ({ body: { ids: part } })));
    enqueued = own.length;
  }
  if (scan.more) await queue.sendBatch([{ body: { scanAt: scanAt.toISOString() } }]);
  return { ...scan, enqueued, continued: scan.more };
}

/**
 * The consumer: claims and sends exactly the rows a message names (the outbox decides what is
 * still to be sent, so a redelivered message sends nothing twice), then re-enqueues the rows that
 * wait for a retry, each with the delay its backoff asks for, all in one call where the limits
 * allow. The table-wide housekeeping is left to the cron run.
 */
export async function consumeSendMessage(deps: JobDeps, queue: SendQueue, message: SendRows, now: Date): Promise<SendResult> {
  const ids = message.ids.filter((id) => UUID.test(id)).slice(0, IDS_PER_MESSAGE);
  const result = await sendPending(deps, now, { ids, limit: ids.length, housekeeping: false });
  if (result.retrying > 0) {
    const retries = (await retriesAmong(deps.database.db, ids)).map((retry) => ({
      body: { ids: [retry.id] },
      delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((retry.at.getTime() - now.getTime()) / 1000))),
    }));
    await sendAll(queue, retries);
  }
  return result;
}

/** Sends the messages in order, in calls that each stay within QUEUE_CALL_LIMITS. */
async function sendAll(queue: SendQueue, messages: QueuedMessage[]): Promise<void> {
  for (const call of withinQueueLimits(messages)) await queue.sendBatch(call);
}

/** Cuts messages into sendBatch calls of at most 100 messages and 240 KB, keeping their order. */
function withinQueueLimits(messages: QueuedMessage[], limits = QUEUE_CALL_LIMITS): QueuedMessage[][] {
  const calls: QueuedMessage[][] = [];
  let call: QueuedMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = utf8Length(JSON.stringify(message.body)) + limits.metadataBytes;
    if (call.length > 0 && (call.length === limits.messages || bytes + size > limits.bytes)) {
      calls.push(call);
      call = [];
      bytes = 0;
    }
    call.push(message);
    bytes += size;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
