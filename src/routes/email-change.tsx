import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

/** Links mailed for an address change: confirm the new address, undo from the old one (no sign-in needed). */
export const emailChangeRoutes = new Hono<HonoEnv>();
