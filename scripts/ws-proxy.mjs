// A WebSocket-to-TCP proxy for the Neon serverless driver, for local development and tests only:
// Neon's driver speaks the Postgres protocol over a WebSocket, and a plain PostgreSQL (or the
// embedded one) speaks it over TCP. Bound to loopback; only allow-listed targets are reached.
//
//   node scripts/ws-proxy.mjs [--port 8788] [--allow 127.0.0.1:5432,localhost:5432]
//
// The Worker points neonConfig.wsProxy at it as `127.0.0.1:8788/v2?address=<host>:<port>`.
import { createServer } from "node:http";
import { connect } from "node:net";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";

// Loaded through require so that bundler conditions (the Workers test setup resolves "browser"
// and "workerd" exports first) cannot swap in ws's browser stub.
const { WebSocketServer } = createRequire(import.meta.url)("ws");

/** Starts the proxy; resolves with its port and a close function. */
export async function startWsProxy({ port = 0, allow = ["127.0.0.1:5432", "localhost:5432"] } = {}) {
  const allowed = new Set(allow);
  // Database connections opened through the proxy so far: tests read it (GET /__connections) to
  // hold the Worker to one connection per request.
  let opened = 0;
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/__connections") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ opened }));
      return;
    }
    res.writeHead(426, { "content-type": "text/plain" });
    res.end("WebSocket-to-TCP proxy for the Neon driver: connect with a WebSocket.\n");
  });
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set();

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const address = url.searchParams.get("address") ?? "";
    if (!allowed.has(address)) {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      console.error(JSON.stringify({ event: "ws_proxy.refused", address }));
      return;
    }
    const [host, portText] = [address.slice(0, address.lastIndexOf(":")), address.slice(address.lastIndexOf(":") + 1)];
    wss.handleUpgrade(req, socket, head, (ws) => {
      opened += 1;
      const tcp = connect({ host, port: Number(portText) });
      sockets.add(tcp);
      tcp.setNoDelay(true);
      tcp.on("data", (chunk) => ws.readyState === ws.OPEN && ws.send(chunk));
      tcp.on("close", () => (sockets.delete(tcp), ws.close()));
      tcp.on("error", () => ws.close());
      ws.on("message", (data) => tcp.write(data));
      // End our side, then make sure the connection is gone: a half-open socket would keep a slot
      // of the embedded server's connection limit forever.
      ws.on("close", () => {
        tcp.end();
        setTimeout(() => tcp.destroy(), 1000).unref();
      });
      ws.on("error", () => tcp.destroy());
    });
  });

  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "8788" }, allow: { type: "string" } } });
  const proxy = await startWsProxy({ port: Number(values.port), allow: values.allow?.split(",") });
  console.log(`ws proxy on ws://127.0.0.1:${proxy.port}`);
  process.on("SIGINT", () => proxy.close().then(() => process.exit(0)));
  process.on("SIGTERM", () => proxy.close().then(() => process.exit(0)));
}
