-- Issue 11 item 7 (docs/threat-model.md "Tipster times"): what the tipster did is kept to the
-- day (Asia/Shanghai, UTC+8, no daylight saving since 1991), deadlines to the end of their day.
-- Times are UTC milliseconds; day start = ((t + 8 h) / 1 day) * 1 day - 8 h (integer division).
-- The same rules as app/shared/tipster-time.ts, for rows written before it. Idempotent.
UPDATE `tips` SET
  `created_at` = ((`created_at` + 28800000) / 86400000) * 86400000 - 28800000,
  `last_tipster_activity_at` = ((`last_tipster_activity_at` + 28800000) / 86400000) * 86400000 - 28800000,
  `acknowledge_by` = ((`acknowledge_by` + 28800000) / 86400000) * 86400000 - 28800000 + 86399999,
  `feedback_by` = ((`feedback_by` + 28800000) / 86400000) * 86400000 - 28800000 + 86399999;
--> statement-breakpoint
UPDATE `messages` SET
  `read_by_tipster_at` = ((`read_by_tipster_at` + 28800000) / 86400000) * 86400000 - 28800000
WHERE `read_by_tipster_at` IS NOT NULL;
--> statement-breakpoint
-- A tipster's message: its day, or 1 ms after the team's latest earlier message if that is later
-- (the thread keeps its order and says no more than the order does).
UPDATE `messages` SET `created_at` = max(
  ((`created_at` + 28800000) / 86400000) * 86400000 - 28800000,
  coalesce((
    SELECT max(`m`.`created_at`) + 1 FROM `messages` AS `m`
    WHERE `m`.`tip_id` = `messages`.`tip_id` AND `m`.`kind` <> 'from_tipster'
      AND `m`.`created_at` < `messages`.`created_at`
  ), 0)
)
WHERE `kind` = 'from_tipster';
--> statement-breakpoint
-- Rows written with the submission: the tip's envelopes, its first status, its files.
UPDATE `tip_envelopes` SET
  `created_at` = ((`created_at` + 28800000) / 86400000) * 86400000 - 28800000
WHERE `granted_by` IS NULL;
--> statement-breakpoint
UPDATE `tip_status_history` SET
  `created_at` = ((`created_at` + 28800000) / 86400000) * 86400000 - 28800000
WHERE `status` = 'received' AND `actor_id` IS NULL;
--> statement-breakpoint
UPDATE `attachments` SET `created_at` = coalesce(
  (SELECT `m`.`created_at` FROM `messages` AS `m` WHERE `m`.`id` = `attachments`.`message_id`),
  ((`created_at` + 28800000) / 86400000) * 86400000 - 28800000
);
