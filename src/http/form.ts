/** A parsed form body: only text values, repeated keys kept in order. Files and oddities become "". */
export type FormBody = Record<string, string[]>;

export async function readForm(req: Request): Promise<FormBody> {
  const type = req.headers.get("content-type") ?? "";
  const out: FormBody = {};
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return out;
  let data: FormData;
  try {
    data = await req.formData();
  } catch {
    return out; // a malformed body is treated as an empty form, which then fails validation clearly
  }
  for (const [key, value] of data.entries()) {
    (out[key] ??= []).push(typeof value === "string" ? value : "");
  }
  return out;
}

export function field(body: FormBody, key: string): string {
  return body[key]?.[0] ?? "";
}

/** True when the text holds control characters (tab and newlines allowed in multi-line fields). */
export function hasControlChars(text: string, allowNewlines = false): boolean {
  return allowNewlines ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) : /[\u0000-\u001f\u007f]/.test(text);
}
