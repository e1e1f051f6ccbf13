CREATE TABLE "task_completions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"occurrence" integer NOT NULL,
	"due_date" date NOT NULL,
	"due_time" time,
	"due_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_task_counts" (
	"user_id" uuid NOT NULL,
	"stripe" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "user_task_counts_user_id_stripe_pk" PRIMARY KEY("user_id","stripe")
);
--> statement-breakpoint
ALTER TABLE "reminder_items" DROP CONSTRAINT "reminder_items_task_id_tasks_id_fk";
--> statement-breakpoint
ALTER TABLE "reminder_items" ADD COLUMN "due_date" date;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "rrule" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "repeat_from" text DEFAULT 'due' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "occurrence" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "date_order" text;--> statement-breakpoint
ALTER TABLE "task_completions" ADD CONSTRAINT "task_completions_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_completions" ADD CONSTRAINT "task_completions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_task_counts" ADD CONSTRAINT "user_task_counts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_completions_user_idx" ON "task_completions" USING btree ("user_id","completed_at");--> statement-breakpoint
CREATE INDEX "task_completions_task_idx" ON "task_completions" USING btree ("task_id","completed_at");--> statement-breakpoint
CREATE INDEX "tasks_user_completed_idx" ON "tasks" USING btree ("user_id","completed_at","id") WHERE "tasks"."status" = 'done';--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_rrule_length" CHECK (char_length("tasks"."rrule") <= 500);--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_rrule_needs_date" CHECK ("tasks"."rrule" is null or "tasks"."due_date" is not null);--> statement-breakpoint
-- user_task_counts follows tasks: one upsert per statement and owner, into one of 16 stripes
-- chosen at random (an import of 10,000 rows moves a counter once; concurrent inserts by one
-- person rarely wait on the same row). The task cap reads the sum of the owner's stripes.
CREATE FUNCTION "tasks_count_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "user_task_counts" ("user_id", "stripe", "n")
    SELECT "user_id", floor(random() * 16)::smallint, count(*) FROM new_rows GROUP BY "user_id"
  ON CONFLICT ("user_id", "stripe") DO UPDATE SET "n" = "user_task_counts"."n" + excluded."n";
  RETURN NULL;
END $$;--> statement-breakpoint
-- Deleting an account deletes its tasks too: its counters are gone (cascade) and stay so.
CREATE FUNCTION "tasks_count_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "user_task_counts" ("user_id", "stripe", "n")
    SELECT o."user_id", floor(random() * 16)::smallint, -count(*) FROM old_rows o
    WHERE EXISTS (SELECT 1 FROM "users" u WHERE u."id" = o."user_id") GROUP BY o."user_id"
  ON CONFLICT ("user_id", "stripe") DO UPDATE SET "n" = "user_task_counts"."n" + excluded."n";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_count_insert" AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "tasks_count_inserted"();--> statement-breakpoint
CREATE TRIGGER "tasks_count_delete" AFTER DELETE ON "tasks" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "tasks_count_deleted"();--> statement-breakpoint
INSERT INTO "user_task_counts" ("user_id", "stripe", "n") SELECT "user_id", 0, count(*) FROM "tasks" GROUP BY "user_id";--> statement-breakpoint
-- reminder_items.task_id lost its foreign key (a row lock on the task per item the scan writes,
-- about 2 s of a 1,000,000-task scan); this does what its ON DELETE CASCADE did, once per statement.
CREATE FUNCTION "tasks_forget_reminder_items"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "reminder_items" i USING old_rows o WHERE i."task_id" = o."id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_forget_reminder_items" AFTER DELETE ON "tasks" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "tasks_forget_reminder_items"();
