/*
 * Reading values out of a parsed form, shared by the input checks (auth, tasks, reminders) and the
 * routes. Plain text in, plain text out: it sits below both http/ and the input modules.
 */

/** A parsed form body: only text values, repeated keys kept in order. Files and oddities become "". */
export type FormBody = Record<string, string[]>;

export function field(body: FormBody, key: string): string {
  return body[key]?.[0] ?? "";
}

/** True when the text holds control characters (tab and newlines allowed in multi-line fields). */
export function hasControlChars(text: string, allowNewlines = false): boolean {
  return allowNewlines ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) : /[\u0000-\u001f\u007f]/.test(text);
}
