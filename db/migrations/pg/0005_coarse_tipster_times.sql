-- Issue 11 item 7 (docs/threat-model.md "Tipster times"): what the tipster did is kept to the
-- day (Asia/Shanghai), deadlines to the end of their day (the last millisecond). The same rules
-- as app/shared/tipster-time.ts, for rows written before it. Idempotent.
UPDATE "tips" SET
  "created_at" = date_trunc('day', "created_at", 'Asia/Shanghai'),
  "last_tipster_activity_at" = date_trunc('day', "last_tipster_activity_at", 'Asia/Shanghai'),
  "acknowledge_by" = date_trunc('day', "acknowledge_by", 'Asia/Shanghai') + interval '1 day' - interval '1 millisecond',
  "feedback_by" = date_trunc('day', "feedback_by", 'Asia/Shanghai') + interval '1 day' - interval '1 millisecond';
--> statement-breakpoint
UPDATE "messages" SET "read_by_tipster_at" = date_trunc('day', "read_by_tipster_at", 'Asia/Shanghai')
WHERE "read_by_tipster_at" IS NOT NULL;
--> statement-breakpoint
-- A tipster's message: its day, or 1 ms after the team's latest earlier message if that is later
-- (the thread keeps its order and says no more than the order does).
UPDATE "messages" SET "created_at" = greatest(
  date_trunc('day', "created_at", 'Asia/Shanghai'),
  (
    SELECT max("m"."created_at") + interval '1 millisecond' FROM "messages" AS "m"
    WHERE "m"."tip_id" = "messages"."tip_id" AND "m"."kind" <> 'from_tipster'
      AND "m"."created_at" < "messages"."created_at"
  )
)
WHERE "kind" = 'from_tipster';
--> statement-breakpoint
-- Rows written with the submission: the tip's envelopes, its first status, its files.
UPDATE "tip_envelopes" SET "created_at" = date_trunc('day', "created_at", 'Asia/Shanghai')
WHERE "granted_by" IS NULL;
--> statement-breakpoint
UPDATE "tip_status_history" SET "created_at" = date_trunc('day', "created_at", 'Asia/Shanghai')
WHERE "status" = 'received' AND "actor_id" IS NULL;
--> statement-breakpoint
UPDATE "attachments" SET "created_at" = coalesce(
  (SELECT "m"."created_at" FROM "messages" AS "m" WHERE "m"."id" = "attachments"."message_id"),
  date_trunc('day', "created_at", 'Asia/Shanghai')
);
