import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

// Reschedule in one click (issue #13): POST /tasks/:id/reschedule.
// Signed-in only: put requireUser on each route (not .use on this sub-app: mounted at "/", a
// sub-app's middleware would run for every path, /login included).
export const rescheduleRoutes = new Hono<HonoEnv>();
