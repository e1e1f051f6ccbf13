import { dictionary } from "@zxcvbn-ts/language-common";

// zxcvbn-ts keeps a ranked list of ~49,000 passwords seen most often in breaches.
let common: Set<string> | undefined;

/** True for a password on the common list; built on first use so start-up stays cheap. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"] as string[]);
  return common.has(password.toLowerCase());
}
