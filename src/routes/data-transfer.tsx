import { Hono } from "hono";
import type { HonoEnv } from "../deps.js";

/** Export (/export.json, /export.csv) and import (/import). */
export const dataTransferRoutes = new Hono<HonoEnv>();
