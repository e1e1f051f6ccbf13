import { Hono } from "hono";
import { nameError, timezoneError, withoutEmpty } from "../auth/account-input.js";
import { retimeTasks } from "../db/tasks.js";
import { updateUserProfile } from "../db/users.js";
import type { HonoEnv } from "../deps.js";
import { field, readForm } from "../http/form.js";
import { requireUser } from "../http/session-middleware.js";
import { SettingsPage } from "../views/settings-page.js";

export const settingsRoutes = new Hono<HonoEnv>();
settingsRoutes.use("*", requireUser);

settingsRoutes.get("/", (c) => {
  const user = c.var.user!;
  return c.render(<SettingsPage form={{ name: user.name, timezone: user.timezone }} errors={{}} saved={c.req.query("saved") === "1"} />, {
    title: "Settings",
  });
});

settingsRoutes.post("/", async (c) => {
  const user = c.var.user!;
  const body = await readForm(c.req.raw);
  const form = { name: field(body, "name"), timezone: field(body, "timezone").trim() };
  const errors = withoutEmpty({ name: nameError(form.name), timezone: timezoneError(form.timezone) });
  if (Object.keys(errors).length) {
    c.status(422);
    return c.render(<SettingsPage form={form} errors={errors} />, { title: "Settings" });
  }
  await updateUserProfile(c.var.db, user.id, { name: form.name.trim(), timezone: form.timezone }, c.var.deps.clock.now());
  if (form.timezone !== user.timezone) await retimeTasks(c.var.db, user.id, form.timezone);
  return c.redirect("/settings?saved=1", 303);
});
