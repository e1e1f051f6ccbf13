import type { QueuedMessage, SendQueue } from "../../src/reminders/queue.js";

/**
 * A queue producer held to Cloudflare Queues' documented limits per sendBatch call: at most 100
 * messages and 256 KB in all (1 KB = 1,000 bytes), each message counting about 100 bytes of
 * metadata besides its body. It refuses what production would refuse, records what it accepted,
 * and hands each accepted call on (in workerd, to a real miniflare queue, which checks too).
 * Runs in Node and in workerd alike.
 */
export function limitedQueue(forward?: SendQueue) {
  const calls: QueuedMessage[][] = [];
  return {
    calls,
    /** Every outbox id enqueued, in order. */
    ids: () => calls.flat().flatMap((m) => ("ids" in m.body ? m.body.ids : [])),
    /** The scan continuations enqueued (their scan instants). */
    continuations: () => calls.flat().flatMap((m) => ("scanAt" in m.body ? [m.body.scanAt] : [])),
    async sendBatch(messages: QueuedMessage[]) {
      const bytes = messages.reduce((n, m) => n + new TextEncoder().encode(JSON.stringify(m.body)).length + 100, 0);
      if (messages.length > 100) throw new Error(`sendBatch of ${messages.length} messages: the limit is 100`);
      if (bytes > 256_000) throw new Error(`sendBatch of ${bytes} bytes: the limit is 256 KB`);
      await forward?.sendBatch(messages);
      calls.push(messages);
    },
    async send() {
      throw new Error("the app sends in batches");
    },
  };
}
