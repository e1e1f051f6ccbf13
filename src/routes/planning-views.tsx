import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

// Today, Upcoming, No date and Done (issue #13): GET /today, /upcoming, /no-date, /done.
// Signed-in only: put requireUser on each route (not .use on this sub-app: mounted at "/", a
// sub-app's middleware would run for every path, /login included).
export const planningViewRoutes = new Hono<HonoEnv>();
