import { escapeToBuffer } from "hono/utils/html";

/** Text for HTML content or a quoted attribute, escaped exactly as hono/jsx escapes it: list rows and email bodies. */
export function escapeHtml(text: string): string {
  const buffer: [string] = [""];
  escapeToBuffer(text, buffer);
  return buffer[0];
}
