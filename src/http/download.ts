import type { Context } from "hono";
import type { HonoEnv } from "../deps.js";

/**
 * A file download whose body is written piece by piece as `pieces` yields them, at the pace the
 * client reads (nothing is held beyond the piece being sent). The writing goes through
 * deps.background, so that on the Worker the request's database stays open until the last piece
 * is read. A failure halfway aborts the body: the download fails visibly instead of ending in a
 * file that looks complete.
 *
 * Sent uncompressed on Node: its compression middleware buffers a whole body, which this must not be.
 *
 * @example
 * return download(c, csvExport(taskPages(db, user.id)), { type: "text/csv; charset=utf-8", filename: "smarttask.csv" });
 */
export function download<E extends HonoEnv>(c: Context<E>, pieces: AsyncIterable<string>, file: { type: string; filename: string }): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const pump = async () => {
    try {
      for await (const piece of pieces) {
        if (piece) await writer.write(encoder.encode(piece));
      }
      await writer.close();
    } catch (err) {
      console.error(JSON.stringify({ event: "download.failed", path: c.req.path, error: err instanceof Error ? err.message : String(err) }));
      await writer.abort(err).catch(() => {});
    }
  };
  const background = c.var.deps.background;
  if (background) background(pump);
  else void pump();
  c.header("Content-Type", file.type);
  c.header("Content-Disposition", `attachment; filename="${file.filename}"`);
  // no-transform also keeps the Node entry's compression (which reads a body whole) off this stream.
  c.header("Cache-Control", "no-store, no-transform");
  return c.body(readable, 200);
}
