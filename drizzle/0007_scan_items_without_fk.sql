ALTER TABLE "reminder_items" DROP CONSTRAINT "reminder_items_task_id_tasks_id_fk";
--> statement-breakpoint
-- What the foreign key's ON DELETE CASCADE did, once per statement instead of a lock per item.
CREATE FUNCTION "tasks_forget_reminder_items"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "reminder_items" i USING old_rows o WHERE i."task_id" = o."id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_forget_reminder_items" AFTER DELETE ON "tasks" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "tasks_forget_reminder_items"();
