import type { AppConfig } from "../config.js";
import type { Database } from "../db/database.js";
import type { Mailer } from "../email/mailer.js";

/** What the reminder jobs need; every runtime (cron, queue, Node timer, CLI) builds this. */
export interface JobDeps {
  database: Database;
  mailer: Mailer;
  config: AppConfig;
}
