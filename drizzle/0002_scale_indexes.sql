-- Trigram search needs pg_trgm (on Neon too; PGlite loads it from its contrib bundle).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "tasks_due_at_idx";--> statement-breakpoint
CREATE INDEX "tasks_user_status_idx" ON "tasks" USING btree ("user_id","status","priority","due_at");--> statement-breakpoint
CREATE INDEX "tasks_user_open_due_idx" ON "tasks" USING btree ("user_id","due_at") WHERE "tasks"."status" <> 'done' and "tasks"."reminders_enabled";--> statement-breakpoint
CREATE INDEX "tasks_title_trgm_idx" ON "tasks" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tasks_notes_trgm_idx" ON "tasks" USING gin ("notes" gin_trgm_ops);--> statement-breakpoint
-- Vacuum tasks after 1 % of its rows change or arrive (default 20 %), so the visibility map stays
-- fresh and the per-status counts stay index-only scans on a large table.
ALTER TABLE "tasks" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
