import { describe, expect, it } from "vitest";
import { describeDevice } from "../src/auth/device-description.js";

// The sessions page's short description of each browser: only this is stored, never the header.
describe("describeDevice", () => {
  const cases: [string, string][] = [
    ["Firefox on Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"],
    ["Safari on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"],
    ["Safari on iPad", "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"],
    ["Chrome on iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1"],
    ["Chrome on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"],
    ["Microsoft Edge on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"],
    ["Safari on macOS", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"],
    ["Chrome on Android", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"],
    ["Samsung Internet on Android", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36"],
  ];
  it.each(cases)("%s", (expected, userAgent) => {
    expect(describeDevice(userAgent)).toBe(expected);
  });

  it("answers empty for no header, an empty one or one it cannot read (the page says Unknown browser)", () => {
    for (const ua of [undefined, "", "   ", "curl/8.5.0", "<script>alert(1)</script>"]) expect(describeDevice(ua), String(ua)).toBe("");
  });

  it("reads only the start of a huge header and keeps the description short", () => {
    const huge = `Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 ${"x".repeat(200_000)}`;
    expect(describeDevice(huge)).toBe("Firefox on Linux");
    expect(describeDevice("y".repeat(200_000)).length).toBeLessThanOrEqual(80);
  });
});
