import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

/** Email verification: /verify/:token (GET shows a button, POST verifies), POST /verify/resend. */
export const verifyRoutes = new Hono<HonoEnv>();
