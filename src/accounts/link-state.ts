import { findAccountToken } from "../db/account-tokens.js";
import type { Db } from "../db/database.js";
import { parseAccountToken, secretMatches, tokenState, type TokenPurpose, type TokenState } from "./tokens.js";

/**
 * What a mailed link's token is worth now. The secret is checked before anything else is told:
 * a guessed id without its secret is "invalid", never "used" or "expired".
 */
export async function linkState(db: Db, raw: string, purpose: TokenPurpose, now: Date): Promise<TokenState> {
  const parsed = parseAccountToken(raw);
  if (!parsed) return { state: "invalid" };
  const row = await findAccountToken(db, parsed.id);
  if (!row || !(await secretMatches(parsed.secret, row))) return { state: "invalid" };
  return tokenState(row, purpose, now);
}
