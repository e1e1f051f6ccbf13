import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

// Quick add (issue #13): POST /tasks/quick and GET /tasks/quick/preview.
// Signed-in only: put requireUser on each route (not .use on this sub-app: mounted at "/", a
// sub-app's middleware would run for every path, /login included).
export const quickAddRoutes = new Hono<HonoEnv>();
