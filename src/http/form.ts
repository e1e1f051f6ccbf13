import type { FormBody } from "../form-fields.js";

// Routes read a form and its fields from here; the field helpers themselves live a layer lower.

/** Reads a urlencoded or multipart body into text fields; anything else is an empty form. */
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
