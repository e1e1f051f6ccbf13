// A measuring Worker for `npm run bench:hyperdrive`, never deployed: the same two statements a
// signed-in list page runs (the session with its user, then the user's tasks), each request on a
// connection of its own, once through Neon's WebSocket driver (what SmartTask ships) and once
// through Hyperdrive with postgres.js (what Cloudflare and Neon suggest), so the two can be timed
// side by side in workerd against the same PostgreSQL.
import { neonConfig, Pool } from "@neondatabase/serverless";
import postgres from "postgres";

interface Env {
  DATABASE_URL: string;
  NEON_WS_PROXY: string;
  HYPERDRIVE: { connectionString: string };
}

const SESSION = "select s.id, u.email from sessions s join users u on u.id = s.user_id where s.id = $1";
const TASKS = "select id, title, due_at from tasks where user_id = $1 order by due_at nulls last, id limit 50";

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { pathname, searchParams } = new URL(request.url);
    const session = searchParams.get("session") ?? "";
    const user = searchParams.get("user") ?? "00000000-0000-0000-0000-000000000000";
    if (pathname === "/neon") {
      const proxy = env.NEON_WS_PROXY;
      neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
      neonConfig.useSecureWebSocket = false;
      neonConfig.pipelineConnect = false;
      const pool = new Pool({ connectionString: env.DATABASE_URL, max: 1 });
      try {
        await pool.query(SESSION, [session]);
        const { rows } = await pool.query(TASKS, [user]);
        return Response.json({ rows: rows.length });
      } finally {
        ctx.waitUntil(pool.end());
      }
    }
    if (pathname === "/hyperdrive") {
      // As Cloudflare's Hyperdrive guide sets it up: one connection, no type lookups on connect.
      const sql = postgres(env.HYPERDRIVE.connectionString, { max: 1, fetch_types: false, prepare: false });
      try {
        await sql.unsafe(SESSION, [session]);
        const rows = await sql.unsafe(TASKS, [user]);
        return Response.json({ rows: rows.length });
      } finally {
        ctx.waitUntil(sql.end());
      }
    }
    return new Response("not found", { status: 404 });
  },
};
