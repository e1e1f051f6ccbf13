import { env } from "cloudflare:test";
import { neonConfig, Pool } from "@neondatabase/serverless";
import { afterAll } from "vitest";

/**
 * A test file's own connection to the Worker's database, through the same driver and local proxy
 * the Worker uses, closed after the file: answers a query function that returns the rows.
 */
export function testDatabase() {
  const { NEON_WS_PROXY: proxy, DATABASE_URL: url } = env as unknown as { NEON_WS_PROXY: string; DATABASE_URL: string };
  neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineConnect = false;
  const pool = new Pool({ connectionString: url });
  pool.on("error", () => undefined); // a socket the proxy closes at teardown is not a test failure
  afterAll(() => pool.end());
  return async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[];
}
