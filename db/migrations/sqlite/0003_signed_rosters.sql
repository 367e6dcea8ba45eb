CREATE TABLE `rosters` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction_id` text NOT NULL,
	`kind` text NOT NULL,
	`roster_id` text NOT NULL,
	`serial` integer NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_until` integer NOT NULL,
	`roster` blob NOT NULL,
	`signature` blob NOT NULL,
	`signed_by` text,
	`signed_at` integer NOT NULL,
	FOREIGN KEY (`jurisdiction_id`) REFERENCES `jurisdictions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signed_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rosters_serial_idx` ON `rosters` (`kind`,`roster_id`,`serial`);--> statement-breakpoint
CREATE INDEX `rosters_jurisdiction_window_idx` ON `rosters` (`jurisdiction_id`,`valid_until`);