import { createServer } from "node:http";
import pg from "pg";
import { openNodeDatabase } from "../src/db/node-database.js";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres.js";
import { startWsProxy } from "../scripts/ws-proxy.mjs";
import { PostmarkStandIn } from "../tests/support/postmark-standin.js";
import { POSTMARK_TEST_TOKEN, WORKERD_TEST_PORTS, workerdDatabaseUrl } from "./ports.js";

/**
 * Runs in Node before the workerd tests: a fresh database with the committed migrations applied
 * (the real server's own `smarttask_workerd` database, or the embedded one served over the wire
 * protocol), the WebSocket-to-TCP proxy the Neon driver needs, and the Postmark stand-in.
 */
export default async function setup() {
  const stops: (() => Promise<unknown>)[] = [];
  const url = workerdDatabaseUrl();
  if (process.env.TEST_DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query("drop database if exists smarttask_workerd with (force)");
    await admin.query("create database smarttask_workerd");
    await admin.end();
    // node-postgres: this setup runs under workerd's export conditions, where postgres.js picks
    // its Cloudflare build (cloudflare:sockets), which only exists inside workerd.
    const database = await openNodeDatabase({ url, driver: "pg" });
    await database.close();
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: ":memory:", port: WORKERD_TEST_PORTS.embeddedPostgres });
    stops.push(embedded.stop);
  }
  const target = new URL(url);
  const proxy = await startWsProxy({ port: WORKERD_TEST_PORTS.wsProxy, allow: [`${target.hostname}:${target.port || 5432}`] });
  stops.push(proxy.close);

  // The stand-in listens on an ephemeral port; a fixed-port front forwards to it and also lets
  // tests read what it accepted (GET /__delivered), since tests in workerd cannot reach its memory.
  const standin = await new PostmarkStandIn().start();
  Object.defineProperty(standin, "token", { value: POSTMARK_TEST_TOKEN });
  const front = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/__delivered") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ delivered: standin.delivered, violations: standin.violations }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const upstream = await fetch(standin.url + (req.url ?? "/"), {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "GET" ? undefined : Buffer.concat(chunks),
    });
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => front.listen(WORKERD_TEST_PORTS.postmark, "127.0.0.1", resolve));
  stops.push(() => new Promise((resolve) => front.close(resolve)), () => standin.stop());

  return async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
}
