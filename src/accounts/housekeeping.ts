import { pruneAccountMail } from "../db/account-mail.js";
import { pruneAccountTokens } from "../db/account-tokens.js";
import { pruneActionLimits } from "../db/action-limits.js";
import type { Db } from "../db/database.js";
import { ACTION_LIMIT_RETENTION_MS } from "../auth/account-limits.js";

/** The hourly clean-up of account data that has served its purpose (Node's hourly job and the Worker's cron). */
export async function pruneAccountData(db: Db, now: Date): Promise<{ tokensPruned: number; limitsPruned: number; accountMailPruned: number }> {
  return {
    tokensPruned: await pruneAccountTokens(db, now),
    limitsPruned: await pruneActionLimits(db, new Date(now.getTime() - ACTION_LIMIT_RETENTION_MS)),
    accountMailPruned: await pruneAccountMail(db, now),
  };
}
