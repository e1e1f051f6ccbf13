import { Hono } from "hono";
import {
  normalizeEmail,
  registerFormFrom,
  validateRegistration,
  type FormErrors,
  type RegisterForm,
} from "../auth/account-input.js";
import { loginRetryAfter, noteLoginFailure } from "../auth/rate-limit.js";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../auth/session-cookie.js";
import { createSession, invalidateSession, tokenIdentity } from "../auth/session.js";
import { clearFailuresAndSession } from "../db/login-failures.js";
import { findUserByEmail, insertUserIfNew } from "../db/users.js";
import type { HonoEnv } from "../deps.js";
import { field, readForm } from "../http/form.js";
import { safeNext } from "../http/render.js";
import { requireUser } from "../http/session-middleware.js";
import { LoginPage, RegisterPage } from "../views/auth-pages.js";

/**
 * One answer for "that email is taken", "no such account" and "wrong password", with the same
 * status, so neither form tells an outsider whether an address has an account.
 */
export const GENERIC_AUTH_ERROR =
  "That email and password can't be used to sign in. If you already have an account, log in with its password.";
const GENERIC_AUTH_STATUS = 422;

export const authRoutes = new Hono<HonoEnv>();

authRoutes.get("/register", (c) => {
  if (c.var.user) return c.redirect("/tasks", 303);
  return c.render(<RegisterPage form={{ name: "", email: "", password: "", timezone: "UTC" }} errors={{}} />, { title: "Register" });
});

authRoutes.post("/register", async (c) => {
  const { db, deps } = c.var;
  const form = registerFormFrom(await readForm(c.req.raw));
  const errors = validateRegistration(form);
  const again = (errs: FormErrors<RegisterForm>, status: 422) => {
    // The password is shown again only when it was not the problem, so nothing typed is lost.
    const kept = { ...form, password: errs.password ? "" : form.password };
    c.header("Cache-Control", "no-store");
    c.status(status);
    return c.render(<RegisterPage form={kept} errors={errs} />, { title: "Register" });
  };
  if (Object.keys(errors).length) return again(errors, 422);

  const now = deps.clock.now();
  // Hash before looking at the email, so a taken address costs the same time as a free one.
  const passwordHash = await deps.passwords.hash(form.password);
  const user = await insertUserIfNew(
    db,
    { email: normalizeEmail(form.email), name: form.name.trim(), passwordHash, timezone: form.timezone },
    now,
  );
  if (!user) return again({ form: GENERIC_AUTH_ERROR }, GENERIC_AUTH_STATUS);

  const session = await createSession(db, user.id, now);
  writeSessionCookie(c, deps.config, session.token, session.expiresAt);
  console.log(JSON.stringify({ event: "auth.registered", userId: user.id }));
  return c.redirect("/tasks", 303);
});

authRoutes.get("/login", (c) => {
  const next = safeNext(c.req.query("next"));
  if (c.var.user) return c.redirect(next, 303);
  return c.render(<LoginPage email="" next={next} />, { title: "Log in" });
});

authRoutes.post("/login", async (c) => {
  const { db, deps } = c.var;
  const body = await readForm(c.req.raw);
  const email = normalizeEmail(field(body, "email"));
  const password = field(body, "password");
  const next = safeNext(field(body, "next"));
  const key = { account: email, ip: deps.clientIp(c) };
  const now = deps.clock.now();
  const page = (error: string) => c.render(<LoginPage email={field(body, "email")} next={next} error={error} />, { title: "Log in" });

  const retryAfter = await loginRetryAfter(db, key, now);
  if (retryAfter !== null) {
    c.header("Retry-After", String(retryAfter));
    c.status(429);
    const minutes = Math.ceil(retryAfter / 60);
    console.log(JSON.stringify({ event: "auth.login_limited", retryAfter }));
    return page(`Too many failed attempts. For your account's safety, try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`);
  }

  const user = email ? await findUserByEmail(db, email) : null;
  // Without an account the hash is computed anyway, so timing does not reveal which case this is.
  const ok = user ? await deps.passwords.verify(user.passwordHash, password) : (await deps.passwords.burn(password), false);
  if (!user || !ok) {
    await noteLoginFailure(db, key, now);
    c.status(GENERIC_AUTH_STATUS);
    return page(GENERIC_AUTH_ERROR);
  }

  const previous = await tokenIdentity(readSessionCookie(c, deps.config));
  const session = await createSession(db, user.id, now);
  await clearFailuresAndSession(db, key, previous);
  writeSessionCookie(c, deps.config, session.token, session.expiresAt);
  console.log(JSON.stringify({ event: "auth.login", userId: user.id }));
  return c.redirect(next, 303);
});

authRoutes.post("/logout", requireUser, async (c) => {
  await invalidateSession(c.var.db, c.var.session!.id);
  clearSessionCookie(c, c.var.deps.config);
  return c.redirect("/login", 303);
});
