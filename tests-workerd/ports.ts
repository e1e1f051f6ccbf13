/**
 * Fixed loopback ports for the workerd test project: the Worker's bindings are written into the
 * config before the global setup starts the servers, so both sides agree on these in advance.
 */
export const WORKERD_TEST_PORTS = {
  wsProxy: Number(process.env.WORKERD_WS_PROXY_PORT ?? 54332),
  embeddedPostgres: Number(process.env.WORKERD_PG_PORT ?? 54331),
  postmark: Number(process.env.WORKERD_POSTMARK_PORT ?? 54333),
};

export const POSTMARK_TEST_TOKEN = "workerd-test-token";

/** The real PostgreSQL server when TEST_DATABASE_URL names one (its own database), else the embedded one. */
export function workerdDatabaseUrl(): string {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) return `postgres://postgres@127.0.0.1:${WORKERD_TEST_PORTS.embeddedPostgres}/postgres`;
  const url = new URL(server);
  url.pathname = "/smarttask_workerd";
  return url.toString();
}
