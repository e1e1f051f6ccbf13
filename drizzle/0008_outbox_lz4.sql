-- Reminder bodies are compressed with lz4 where the server has it (PostgreSQL 14+ built with lz4,
-- as Debian's and Neon's are; PGlite has only pglz, so it keeps the default). A scan writes every
-- digest's HTML and text (about 15 KB each, 150 MB for 10,000 users) and pglz compressing them
-- was a large part of the server's work: the 1,000,000-task scan took ~15 % less time with lz4.
-- Only values written from now on use it; old rows stay readable as they are.
DO $$
BEGIN
  IF 'lz4' = ANY (SELECT unnest(enumvals) FROM pg_settings WHERE name = 'default_toast_compression') THEN
    ALTER TABLE "reminder_outbox" ALTER COLUMN "html_body" SET COMPRESSION lz4, ALTER COLUMN "text_body" SET COMPRESSION lz4;
  END IF;
END
$$;
