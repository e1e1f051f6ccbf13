import { z } from "zod";
import { field, hasControlChars, type FormBody } from "../form-fields.js";
import { isKnownTimezone } from "../time/zones.js";
import { isCommonPassword } from "./common-passwords.js";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;

export interface RegisterForm {
  name: string;
  email: string;
  password: string;
  timezone: string;
}
export type FormErrors<T> = Partial<Record<keyof T | "form", string>>;

/** Trimmed and lower-cased, so one mailbox is one account however it was typed. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * The account a login attempt names, as login limits and device cookies key it: the normalised
 * address, without NUL bytes (PostgreSQL refuses them in text; such a login was a 500) and capped,
 * so a junk 60 KiB "email" cannot bloat the failures table (no real address is that long).
 */
export function loginAccountKey(raw: string): string {
  return normalizeEmail(raw).replaceAll("\u0000", "\ufffd").slice(0, 320);
}

const emailSchema = z.email();

export function registerFormFrom(body: FormBody): RegisterForm {
  return {
    name: field(body, "name"),
    email: field(body, "email"),
    password: field(body, "password"),
    timezone: field(body, "timezone").trim() || "UTC",
  };
}

export function validateRegistration(form: RegisterForm): FormErrors<RegisterForm> {
  const errors: FormErrors<RegisterForm> = {
    name: nameError(form.name),
    email: emailError(normalizeEmail(form.email)),
    password: passwordError(form.password),
    timezone: timezoneError(form.timezone),
  };
  return withoutEmpty(errors);
}

export function nameError(raw: string): string | undefined {
  const name = raw.trim();
  if (!name) return "Tell us your name.";
  if (name.length > NAME_MAX) return `Keep your name to ${NAME_MAX} characters.`;
  if (hasControlChars(name)) return "Your name contains characters that can't be shown.";
}

export function emailError(email: string): string | undefined {
  if (!email) return "Enter your email address.";
  if (email.length > 254 || !emailSchema.safeParse(email).success) return "Enter a valid email address, like name@example.com.";
}

export function passwordError(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (isCommonPassword(password)) return "That password is among the most common ones; choose something less guessable.";
}

export function timezoneError(timezone: string): string | undefined {
  if (!isKnownTimezone(timezone)) return "Choose a timezone from the list.";
}

export function withoutEmpty<T extends Record<string, string | undefined>>(errors: T): T {
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) as T;
}
