import { timingSafeEqual } from "node:crypto";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { parseInstant, runReminderJobs } from "./reminder-jobs.js";
import type { JobDeps } from "../reminders/jobs.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * POST /internal/reminders/run on the Node server: how `npm run reminders` hands a run to the
 * server that owns the embedded database. Only loopback connections carrying the secret from
 * DATA_DIR/control.json are served, so nobody on the web can trigger runs or choose "now".
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
    return c.json(await runReminderJobs(deps, now));
  };
}
