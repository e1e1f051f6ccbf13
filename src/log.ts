import { DrizzleQueryError } from "drizzle-orm/errors";

/**
 * What may be logged about an error. A failed Drizzle query carries its SQL and parameters in
 * its message (email bodies with signed links, session hashes, addresses): only the driver's
 * own error, underneath, is logged.
 */
export function errorForLog(err: unknown): { message: string; stack?: string } {
  const shown = err instanceof DrizzleQueryError && err.cause instanceof Error ? err.cause : err;
  if (shown instanceof Error) return { message: shown.message, stack: shown.stack };
  return { message: String(shown) };
}
