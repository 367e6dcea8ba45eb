ALTER TABLE `messages` ADD `team_copy` blob;--> statement-breakpoint
ALTER TABLE `tip_status_history` ADD `public_message_copy` blob;