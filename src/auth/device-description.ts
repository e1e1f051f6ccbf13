import Bowser from "bowser";

// A User-Agent is whatever the client sends: only its first part is read (the names that matter
// come early, and a huge header should cost the parser nothing), and only the short description
// built from a fixed list of names is kept.
const MAX_READ = 512;
const MAX_DESCRIPTION = 80;

/**
 * A short browser and OS description of a User-Agent ("Firefox on Linux", "Safari on iPhone")
 * for the sessions page, through bowser (a maintained parser, pure JavaScript, so it runs on the
 * Worker too). Only this description is stored, never the raw header. "" when nothing is
 * recognised; the page shows "Unknown browser" then.
 *
 * @example
 * describeDevice("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"); // "Firefox on Linux"
 */
export function describeDevice(userAgent: string | undefined): string {
  const ua = userAgent?.slice(0, MAX_READ).trim();
  // bowser throws on an empty string.
  if (!ua) return "";
  const { browser, os, platform } = Bowser.parse(ua);
  // On phones and tablets the device says more than the OS ("iPhone" rather than "iOS").
  const handheld = (platform.type === "mobile" || platform.type === "tablet") && platform.model ? platform.model : undefined;
  const where = handheld ?? os.name;
  // "Samsung Internet for Android on Android" says its OS twice.
  const name = where && browser.name?.endsWith(` for ${where}`) ? browser.name.slice(0, -` for ${where}`.length) : browser.name;
  const what = name || (where ? "Unknown browser" : "");
  return (where ? `${what} on ${where}` : what).slice(0, MAX_DESCRIPTION);
}
