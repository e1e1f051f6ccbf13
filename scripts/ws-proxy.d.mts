export function startWsProxy(opts?: { port?: number; allow?: string[] }): Promise<{ port: number; close(): Promise<void> }>;
