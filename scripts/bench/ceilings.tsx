// The ceilings, run as their own process (like the app server) on the ports in BENCH_CEILING_PORTS:
// what this machine and this load generator allow before SmartTask does any work of its own.
//   1. bare node:http answering "hello";
//   2. Hono on @hono/node-server answering "hello" (the framework and adapter's cost);
//   3. Hono rendering the 50-row /tasks page from memory with the app's real layout and views and
//      the Node entry's compression: what GET /tasks could reach if the database cost nothing.
import { createServer } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { HonoEnv } from "../../src/deps.js";
import { compressResponses } from "../../src/entries/node-compress.js";
import { pageOrFragment } from "../../src/http/render.js";
import { layout } from "../../src/views/layout.js";
import { TaskListPage } from "../../src/views/task-list.js";
import { memoryModel, memoryTasks, memoryUser } from "./memory-model.js";

const [nodePort, honoPort, pagePort] = (process.env.BENCH_CEILING_PORTS ?? "").split(",").map(Number);
if (!nodePort || !honoPort || !pagePort) throw new Error("BENCH_CEILING_PORTS must name three ports");

createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("hello");
}).listen(nodePort, "127.0.0.1");

const hello = new Hono();
hello.get("/", (c) => c.text("hello"));
serve({ fetch: hello.fetch, port: honoPort, hostname: "127.0.0.1" });

const tasks = memoryTasks(new Date());
const page = new Hono<HonoEnv>();
// As the Node entry does: compression outside the app, so every response is compressed the same way.
page.use("*", compressResponses);
page.use("*", async (c, next) => {
  c.set("user", memoryUser);
  await next();
});
page.use("*", layout);
page.get("/tasks", (c) => {
  const model = memoryModel(tasks, new Date());
  return pageOrFragment(c, { title: "Tasks", page: () => <TaskListPage model={model} />, fragment: () => null });
});
page.get("/healthz", (c) => c.text("ok"));
serve({ fetch: page.fetch, port: pagePort, hostname: "127.0.0.1" });

// The parent stops this process with SIGINT once the ceilings are measured.
process.on("SIGINT", () => process.exit(0));
