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
ALTER TABLE "reminder_items" ADD COLUMN "due_date" date;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "rrule" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "repeat_from" text DEFAULT 'due' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "occurrence" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "date_order" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "task_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "task_completions" ADD CONSTRAINT "task_completions_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_completions" ADD CONSTRAINT "task_completions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_completions_user_idx" ON "task_completions" USING btree ("user_id","completed_at");--> statement-breakpoint
CREATE INDEX "task_completions_task_idx" ON "task_completions" USING btree ("task_id","completed_at");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_rrule_length" CHECK (char_length("tasks"."rrule") <= 500);--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_rrule_needs_date" CHECK ("tasks"."rrule" is null or "tasks"."due_date" is not null);--> statement-breakpoint
-- users.task_count follows tasks through statement-level triggers: one UPDATE per statement and
-- owner (an import of 10,000 rows moves the counter once), so the task cap reads one row.
CREATE FUNCTION "tasks_count_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "users" u SET "task_count" = u."task_count" + n.c
    FROM (SELECT "user_id", count(*) AS c FROM new_rows GROUP BY "user_id") n WHERE u."id" = n."user_id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "tasks_count_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "users" u SET "task_count" = u."task_count" - o.c
    FROM (SELECT "user_id", count(*) AS c FROM old_rows GROUP BY "user_id") o WHERE u."id" = o."user_id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_count_insert" AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "tasks_count_inserted"();--> statement-breakpoint
CREATE TRIGGER "tasks_count_delete" AFTER DELETE ON "tasks" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "tasks_count_deleted"();--> statement-breakpoint
UPDATE "users" u SET "task_count" = (SELECT count(*) FROM "tasks" t WHERE t."user_id" = u."id");
