/**
 * A short browser and OS description of a User-Agent ("Firefox on Linux") for the sessions page.
 * Only this description is stored, never the raw header.
 * (Placeholder: the sessions work replaces it with a maintained parser.)
 */
export function describeDevice(userAgent: string | undefined): string {
  return userAgent ? "" : "";
}
