import { Hono } from "hono";
import { nameError, timezoneError, withoutEmpty } from "../auth/account-input.js";
import { canonicalTimezone } from "../time/zones.js";
import { updateUserSettings } from "../db/users.js";
import type { HonoEnv } from "../deps.js";
import { readForm } from "../http/form.js";
import { field } from "../form-fields.js";
import { requireUser } from "../http/session-middleware.js";
import { reminderFormFrom, reminderFormOf, validateReminderForm } from "../reminders/prefs-input.js";
import { SettingsPage } from "../views/settings-page.js";

export const settingsRoutes = new Hono<HonoEnv>().use(requireUser);

settingsRoutes.get("/", (c) => {
  const user = c.var.user;
  return c.render(
    <SettingsPage
      form={{ name: user.name, timezone: user.timezone, date_order: user.dateOrder ?? "" }}
      reminders={reminderFormOf(user)}
      pausedReason={user.remindersPausedReason}
      errors={{}}
      saved={c.req.query("saved") === "1"}
    />,
    { title: "Settings" },
  );
});

settingsRoutes.post("/", async (c) => {
  const user = c.var.user;
  const body = await readForm(c.req.raw);
  // A post without the date order (an older form, a script) keeps the saved one.
  const form = { name: field(body, "name"), timezone: field(body, "timezone").trim(), date_order: body.date_order ? field(body, "date_order") : (user.dateOrder ?? "") };
  const reminders = reminderFormFrom(body, user);
  const checked = validateReminderForm(reminders);
  const errors = {
    ...withoutEmpty({ name: nameError(form.name), timezone: timezoneError(form.timezone), date_order: dateOrderError(form.date_order) }),
    ...(checked.ok ? {} : checked.errors),
  };
  if (!checked.ok || Object.keys(errors).length) {
    c.status(422);
    return c.render(<SettingsPage form={form} reminders={reminders} pausedReason={user.remindersPausedReason} errors={errors} />, { title: "Settings" });
  }
  // A post without the reminders box (only name and timezone) says nothing about the address working again.
  const liftPause = body.reminders !== undefined;
  const timezone = canonicalTimezone(form.timezone)!;
  const dateOrder = form.date_order === "" ? null : (form.date_order as "dmy" | "mdy");
  await updateUserSettings(c.var.db, user.id, { name: form.name.trim(), timezone, dateOrder, ...checked.settings }, c.var.deps.clock.now(), {
    liftPause,
    retime: timezone !== user.timezone,
  });
  return c.redirect("/settings?saved=1", 303);
});

function dateOrderError(value: string): string | undefined {
  return ["", "dmy", "mdy"].includes(value) ? undefined : "Choose automatic, day first or month first.";
}
