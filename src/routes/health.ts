import { Hono } from "hono";
import { pingDatabase } from "../db/database.js";
import type { HonoEnv } from "../deps.js";
import { errorForLog } from "../log.js";

/** For load balancers and the deploy checklist: 200 when the database answers, else 503. */
export const healthRoutes = new Hono<HonoEnv>();

healthRoutes.get("/", async (c) => {
  try {
    await pingDatabase(c.var.db);
    return c.json({ status: "ok", database: "ok" });
  } catch (err) {
    console.error(JSON.stringify({ event: "health.db_unreachable", message: errorForLog(err).message }));
    return c.json({ status: "degraded", database: "unreachable" }, 503);
  }
});
