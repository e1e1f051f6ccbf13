import { describe, expect, it } from "vitest";
import { sha256Hex, toHex } from "../src/bytes.js";

describe("the session secret's hash", () => {
  it("is SHA-256 on Node exactly as Web Crypto (the Worker) computes it, so a session works on both", async () => {
    // FIPS 180-2's test vector, then random secrets as the cookie carries them.
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (let i = 0; i < 20; i++) {
      const secret = toHex(crypto.getRandomValues(new Uint8Array(32)));
      const web = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))));
      expect(await sha256Hex(secret)).toBe(web);
    }
  });
});
