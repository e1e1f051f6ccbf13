import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedMessage {
  From: string;
  To: string;
  Subject: string;
  HtmlBody?: string;
  TextBody?: string;
  MessageStream?: string;
  Headers?: { Name: string; Value: string }[];
  Tag?: string;
}

type Behaviour =
  | { kind: "accept" }
  /** 200 with a per-message ErrorCode chosen by the test (0 = accepted). */
  | { kind: "per-message"; errorCode: (m: ReceivedMessage, index: number) => number }
  | { kind: "status"; status: number; errorCode: number; message: string }
  | { kind: "hang" };

/**
 * A local stand-in for Postmark's batch endpoint (POST /email/batch) on 127.0.0.1. It checks each
 * request as the documented API does (server token header, JSON content, an array of at most 500
 * messages, From/To and a body on each) and records what it accepted. Tests choose its answers.
 */
export class PostmarkStandIn {
  readonly token = `standin-${crypto.randomUUID()}`;
  /** Messages accepted (ErrorCode 0), in arrival order. */
  readonly delivered: ReceivedMessage[] = [];
  /** Every well-formed request's messages, accepted or not. */
  readonly requests: ReceivedMessage[][] = [];
  /** Requests refused for breaking the API's rules: a test expects this to stay empty. */
  readonly violations: string[] = [];
  private behaviour: Behaviour = { kind: "accept" };
  private server?: Server;
  private hanging: ServerResponse[] = [];

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  respondWith(b: Behaviour) {
    this.behaviour = b;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== "POST" || req.url !== "/email/batch") return reply(404, { ErrorCode: 404, Message: "Not found" });
    if (req.headers["x-postmark-server-token"] !== this.token) {
      this.violations.push("missing or wrong X-Postmark-Server-Token");
      return reply(401, { ErrorCode: 10, Message: "No Account or Server API tokens were supplied in the HTTP headers." });
    }
    if (!String(req.headers["content-type"]).includes("application/json") || !String(req.headers["accept"]).includes("application/json")) {
      this.violations.push("Content-Type and Accept must be application/json");
      return reply(415, { ErrorCode: 0, Message: "Unsupported media type" });
    }
    let messages: unknown;
    try {
      messages = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      this.violations.push("body is not JSON");
      return reply(422, { ErrorCode: 402, Message: "Received invalid JSON input." });
    }
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > 500) {
      this.violations.push(`batch must be an array of 1 to 500 messages, got ${Array.isArray(messages) ? messages.length : typeof messages}`);
      return reply(422, { ErrorCode: 402, Message: "Batch must hold between 1 and 500 messages." });
    }
    for (const m of messages as Record<string, unknown>[]) {
      if (typeof m.From !== "string" || !m.From || typeof m.To !== "string" || !m.To) this.violations.push("a message lacks From or To");
      if (typeof m.HtmlBody !== "string" && typeof m.TextBody !== "string") this.violations.push("a message has neither HtmlBody nor TextBody");
    }
    const batch = messages as ReceivedMessage[];
    this.requests.push(batch);

    const b = this.behaviour;
    if (b.kind === "hang") {
      this.hanging.push(res);
      return;
    }
    if (b.kind === "status") return reply(b.status, { ErrorCode: b.errorCode, Message: b.message });
    const results = batch.map((m, i) => {
      const code = b.kind === "per-message" ? b.errorCode(m, i) : 0;
      if (code === 0) {
        this.delivered.push(m);
        return { ErrorCode: 0, Message: "OK", MessageID: crypto.randomUUID(), SubmittedAt: new Date().toISOString(), To: m.To };
      }
      const message = code === 406 ? `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${m.To}.` : "Invalid 'To' address.";
      return { ErrorCode: code, Message: message, To: m.To };
    });
    reply(200, results);
  }
}
