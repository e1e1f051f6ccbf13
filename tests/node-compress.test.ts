import { Hono } from "hono";
import { zstdDecompressSync, brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { chooseEncoding, compressResponses } from "../src/entries/node-compress.js";

// The Node entry's compression, on a small app: what a browser receives for each Accept-Encoding.
const page = `<!doctype html><ul>${"<li>Renew the passport before the trip</li>".repeat(200)}</ul>`;
const app = new Hono();
app.use("*", compressResponses);
app.get("/page", (c) => c.html(page));
app.get("/small", (c) => c.json({ status: "ok" }));
app.get("/image", (c) => c.body(new Uint8Array(4096), 200, { "Content-Type": "image/png", "Content-Length": "4096" }));
app.get("/events", (c) => c.body(page, 200, { "Content-Type": "text/event-stream" }));
app.get("/as-is", (c) => c.body(page, 200, { "Content-Type": "text/plain", "Cache-Control": "no-transform" }));
app.get("/file", (c) => c.body(page, 200, { "Content-Type": "text/css", "Content-Length": String(page.length) }));

const get = (path: string, acceptEncoding?: string) => app.request(path, { headers: acceptEncoding ? { "Accept-Encoding": acceptEncoding } : {} });
const decoders = { zstd: zstdDecompressSync, br: brotliDecompressSync, gzip: gunzipSync };

describe("compression on the Node entry", () => {
  it("sends a browser's page in the best encoding it offers, and the same page comes out", async () => {
    for (const [accept, expected] of [
      ["gzip, deflate, br, zstd", "zstd"],
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["gzip, br;q=0, zstd;q=0", "gzip"],
    ] as const) {
      const res = await get("/page", accept);
      expect(res.headers.get("content-encoding"), accept).toBe(expected);
      expect(res.headers.get("vary")).toMatch(/accept-encoding/i);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBeLessThan(page.length / 10);
      expect(decoders[expected](bytes).toString()).toBe(page);
    }
  });

  it("sends plain bytes to a client that accepts no encoding, and leaves small or binary answers alone", async () => {
    const plain = await get("/page");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(page);
    const small = await get("/small", "gzip, br, zstd");
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(await small.json()).toEqual({ status: "ok" });
    for (const path of ["/events", "/as-is"]) {
      const res = await get(path, "gzip, br, zstd");
      expect(res.headers.get("content-encoding"), path).toBeNull();
      expect(await res.text()).toBe(page);
    }
    const image = await get("/image", "gzip, br, zstd");
    expect(image.headers.get("content-encoding")).toBeNull();
    expect((await image.arrayBuffer()).byteLength).toBe(4096);
  });

  it("drops the uncompressed length of a file it compresses", async () => {
    const res = await get("/file", "br");
    expect(res.headers.get("content-encoding")).toBe("br");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get("content-length") === null || Number(res.headers.get("content-length")) === bytes.length).toBe(true);
    expect(brotliDecompressSync(bytes).toString()).toBe(page);
  });

  it("reads Accept-Encoding as HTTP defines it", () => {
    expect(chooseEncoding(undefined)).toBeNull();
    expect(chooseEncoding("identity")).toBeNull();
    expect(chooseEncoding("*")).toBe("gzip");
    expect(chooseEncoding("GZIP;q=0.5, BR;q=1.0")).toBe("br");
    expect(chooseEncoding("zstd;q=0")).toBeNull();
    expect(chooseEncoding("gzip;q=0, *")).toBeNull();
  });
});
