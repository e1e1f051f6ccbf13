import { constantTimeEqual } from "../auth/bytes.js";

/**
 * Signed links for email: HMAC-SHA256 over a small JSON payload, base64url-encoded as
 * `<payload>.<signature>`. Only Web Crypto, so Node and workerd share it.
 */
export interface Signer {
  sign(payload: object): Promise<string>;
  /** The payload when the signature is ours, else null. */
  verify<T>(token: string): Promise<T | null>;
}

export function createSigner(secret: string): Signer {
  const key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = async (data: string) =>
    new Uint8Array(await crypto.subtle.sign("HMAC", await key, new TextEncoder().encode(data)));

  return {
    async sign(payload) {
      const body = b64url(new TextEncoder().encode(JSON.stringify(payload)));
      return `${body}.${b64url(await mac(body))}`;
    },
    async verify<T>(token: string) {
      if (token.length > 2000) return null;
      const [body, sig, extra] = token.split(".");
      if (!body || !sig || extra !== undefined) return null;
      const given = unb64url(sig);
      if (!given || !constantTimeEqual(given, await mac(body))) return null;
      const json = unb64url(body);
      if (!json) return null;
      try {
        return JSON.parse(new TextDecoder().decode(json)) as T;
      } catch {
        return null;
      }
    },
  };
}

function b64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function unb64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}
