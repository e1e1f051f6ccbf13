import type { Context } from "hono";
import type { PasswordHasher } from "./auth/password.js";
import type { ValidSession } from "./auth/session.js";
import type { Clock } from "./clock.js";
import type { AppConfig } from "./config.js";
import type { Database, Db } from "./db/database.js";
import type { User } from "./db/schema.js";
import type { Mailer } from "./email/mailer.js";

/** Everything the core needs from its runtime, built by an entry point and handed to createApp. */
export interface Deps {
  database: Database;
  clock: Clock;
  config: AppConfig;
  passwords: PasswordHasher;
  /** Where reminder email goes: Postmark, or the dev mailbox when no token is configured. */
  mailer: Mailer;
  /** The client's address as this runtime knows it (socket, proxy header or CF-Connecting-IP). */
  clientIp(c: Context): string;
  /**
   * Runs work after the response (account mail goes out within seconds, not at the next hourly
   * run): the Worker hands it to waitUntil, Node lets it run on. Without it the work is started and
   * not awaited.
   */
  background?: (work: () => Promise<unknown>) => void;
}

/** The one Hono environment type: handlers read `c.var.deps`, `c.var.db` and `c.var.user`. */
export interface HonoEnv {
  Bindings: object;
  Variables: {
    deps: Deps;
    db: Db;
    user: User | null;
    session: ValidSession | null;
  };
}

/** What the routes behind requireUser see: a signed-in user and their session, never null. */
export type SignedInEnv = HonoEnv & { Variables: { user: User; session: ValidSession } };
