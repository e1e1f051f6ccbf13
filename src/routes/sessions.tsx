import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

/** The sessions page: /settings/sessions, revoke one, revoke all others. */
export const sessionRoutes = new Hono<HonoEnv>();
