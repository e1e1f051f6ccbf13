import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

/** Deleting the account: /settings/delete. */
export const deleteAccountRoutes = new Hono<HonoEnv>();
