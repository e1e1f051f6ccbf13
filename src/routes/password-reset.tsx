import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

/** Password reset: GET/POST /forgot, GET/POST /reset/:token. */
export const passwordResetRoutes = new Hono<HonoEnv>();
