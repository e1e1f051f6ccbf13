import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

/** Change password and email, mounted at /settings: /password and /email. */
export const accountSettingsRoutes = new Hono<HonoEnv>();
