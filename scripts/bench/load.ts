import autocannon from "autocannon";

/** One thing to load: a request (or a request made fresh each time) and the statuses that count as success. */
export interface Route {
  name: string;
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before each request, e.g. to cycle through task ids; returns the path and body to send. */
  next?: () => { path: string; body?: string; headers?: Record<string, string> };
  expect: number[];
}

export interface Timing {
  warmupSeconds: number;
  seconds: number;
  connections: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Average bytes on the wire per response (headers and compressed body). */
  bytesPerResponse: number;
  /** Responses with a status outside `expect`, and connection errors or timeouts. */
  failures: number;
  statuses: Record<string, number>;
  /** CLOCK_MONOTONIC in µs around the measured part, the clock V8's .cpuprofile timestamps use. */
  window: { fromUs: number; toUs: number };
}

/** What browsers send: the server's compression is part of what is measured. */
export const BROWSER_ENCODING = { "accept-encoding": "gzip, deflate, br, zstd" };

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * A warm-up run whose figures are dropped (JIT, connection pools, caches), then the measured run.
 * Throughput is responses over the measured wall time, not autocannon's mean of per-second samples,
 * so a stall shows up in it.
 */
export async function measure(origin: string, route: Route, timing: Timing): Promise<LoadResult> {
  if (timing.warmupSeconds > 0) await fire(origin, route, timing.connections, timing.warmupSeconds);
  const fromUs = monotonicUs();
  const result = await fire(origin, route, timing.connections, timing.seconds);
  const toUs = monotonicUs();
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
  const unexpected = Object.entries(statuses).reduce((sum, [code, n]) => (route.expect.includes(Number(code)) ? sum : sum + n), 0);
  const requests = result.requests.total;
  return {
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    bytesPerResponse: requests ? result.throughput.total / requests : 0,
    failures: unexpected + result.errors + result.timeouts,
    statuses,
    window: { fromUs, toUs },
  };
}

function fire(origin: string, route: Route, connections: number, seconds: number): Promise<autocannon.Result> {
  const headers = { ...BROWSER_ENCODING, ...route.headers };
  const request: autocannon.Request = { method: route.method ?? "GET", path: route.path, headers, body: route.body };
  if (route.next) {
    const next = route.next;
    request.setupRequest = (req) => ({ ...req, ...next() });
  }
  return autocannon({ url: origin, connections, duration: seconds, timeout: 10, requests: [request] });
}
