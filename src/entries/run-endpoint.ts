import { timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { errorForLog } from "../log.js";
import { parseInstant, runReminderJobs } from "./reminder-jobs.js";
import type { JobDeps } from "../reminders/jobs.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
export const RUN_PATH = "/internal/reminders/run";

/**
 * How `npm run reminders` hands a run to the server that owns the embedded database: its own
 * listener on 127.0.0.1 with a port the kernel picks, written to DATA_DIR/control.json with a
 * secret. Never the public port, so a reverse proxy on this host (which reaches the public port
 * from loopback) cannot forward anyone to it.
 */
export function listenForRuns(deps: JobDeps, secret: string): Promise<{ url: string; close(): void }> {
  const app = new Hono();
  app.post(RUN_PATH, runEndpoint(deps, secret));
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      resolve({ url: `http://127.0.0.1:${info.port}${RUN_PATH}`, close: () => server.close() });
    });
    server.once("error", reject);
  });
}

/**
 * POST /internal/reminders/run: only loopback connections carrying the secret are served, so
 * nobody else can trigger runs or choose "now". A failed run answers one redacted line (never
 * the statement's SQL or values, which hold addresses and signed links), logged the same way.
 */
export function runEndpoint(deps: JobDeps, secret: string) {
  return async (c: Context) => {
    const remote = getConnInfo(c).remote.address ?? "";
    const given = Buffer.from(c.req.header("x-smarttask-run-secret") ?? "");
    const expected = Buffer.from(secret);
    if (!LOOPBACK.test(remote) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.json({ error: "forbidden" }, 403);
    }
    const body = (await c.req.json().catch(() => ({}))) as { now?: unknown };
    const now = typeof body.now === "string" ? parseInstant(body.now) : body.now === undefined ? new Date() : null;
    if (!now) return c.json({ error: "now must be an ISO-8601 instant" }, 400);
    try {
      return c.json(await runReminderJobs(deps, now));
    } catch (err) {
      const { message, code } = errorForLog(err);
      console.error(JSON.stringify({ event: "reminders.error", what: "run endpoint", message, code }));
      return c.json({ error: message, code }, 500);
    }
  };
}
