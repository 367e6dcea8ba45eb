CREATE TABLE `clue_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`finding_id` text NOT NULL,
	`receiving_body_id` text NOT NULL,
	`reference` text,
	`note` blob,
	`transferred_at` integer NOT NULL,
	`transferred_by` text,
	`outcome` text DEFAULT 'pending' NOT NULL,
	`outcome_at` integer,
	`outcome_note` blob,
	`outcome_by` text,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`receiving_body_id`) REFERENCES `receiving_bodies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transferred_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outcome_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clue_transfers_finding_idx` ON `clue_transfers` (`finding_id`);--> statement-breakpoint
CREATE INDEX `clue_transfers_body_idx` ON `clue_transfers` (`receiving_body_id`,`outcome`);--> statement-breakpoint
CREATE TABLE `finding_envelopes` (
	`id` text PRIMARY KEY NOT NULL,
	`finding_id` text NOT NULL,
	`staff_key_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`envelope` blob NOT NULL,
	`granted_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_key_id`) REFERENCES `staff_keys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finding_envelopes_uq` ON `finding_envelopes` (`finding_id`,`staff_key_id`);--> statement-breakpoint
CREATE INDEX `finding_envelopes_staff_idx` ON `finding_envelopes` (`staff_id`);--> statement-breakpoint
CREATE TABLE `finding_tips` (
	`finding_id` text NOT NULL,
	`tip_id` text NOT NULL,
	`linked_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`finding_id`, `tip_id`),
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`linked_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `finding_tips_tip_idx` ON `finding_tips` (`tip_id`);--> statement-breakpoint
CREATE TABLE `findings` (
	`id` text PRIMARY KEY NOT NULL,
	`stationing_id` text NOT NULL,
	`unit_id` text,
	`category` text NOT NULL,
	`corruption_type` text,
	`key_minority` integer DEFAULT false NOT NULL,
	`amount_involved_fen` integer,
	`immediate_rectification` integer DEFAULT false NOT NULL,
	`rectified_at` integer,
	`status` text DEFAULT 'open' NOT NULL,
	`body` blob NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`stationing_id`) REFERENCES `stationings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `findings_stationing_idx` ON `findings` (`stationing_id`,`category`);--> statement-breakpoint
CREATE TABLE `look_back_checks` (
	`look_back_id` text NOT NULL,
	`finding_id` text NOT NULL,
	`problem_confirmed` integer NOT NULL,
	`rectification` text NOT NULL,
	`note` blob,
	`checked_by` text,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`look_back_id`, `finding_id`),
	FOREIGN KEY (`look_back_id`) REFERENCES `look_backs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `look_backs` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`opened_by` text,
	`opened_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`opened_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `look_backs_round_uq` ON `look_backs` (`round_id`);--> statement-breakpoint
CREATE TABLE `receiving_bodies` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction_id` text NOT NULL,
	`district_id` text,
	`kind` text NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`jurisdiction_id`) REFERENCES `jurisdictions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `receiving_bodies_jurisdiction_idx` ON `receiving_bodies` (`jurisdiction_id`,`district_id`);--> statement-breakpoint
CREATE TABLE `receiving_body_members` (
	`body_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	`left_at` integer,
	PRIMARY KEY(`body_id`, `staff_id`),
	FOREIGN KEY (`body_id`) REFERENCES `receiving_bodies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `receiving_body_members_staff_idx` ON `receiving_body_members` (`staff_id`);--> statement-breakpoint
CREATE TABLE `resolution_file_chunks` (
	`file_id` text NOT NULL,
	`idx` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`file_id`, `idx`),
	FOREIGN KEY (`file_id`) REFERENCES `resolution_files`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `resolution_files` (
	`id` text PRIMARY KEY NOT NULL,
	`resolution_id` text NOT NULL,
	`header` blob NOT NULL,
	`chunk_count` integer NOT NULL,
	`ciphertext_size` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`resolution_id`) REFERENCES `resolutions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `resolution_files_resolution_idx` ON `resolution_files` (`resolution_id`);--> statement-breakpoint
CREATE TABLE `resolutions` (
	`id` text PRIMARY KEY NOT NULL,
	`finding_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer,
	`beneficiaries` integer,
	`details` blob NOT NULL,
	`resolved_at` integer NOT NULL,
	`verification` text DEFAULT 'pending' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `resolutions_finding_idx` ON `resolutions` (`finding_id`);--> statement-breakpoint
CREATE TABLE `result_publications` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`district_id` text NOT NULL,
	`figures` text NOT NULL,
	`finding_count` integer NOT NULL,
	`approved_by` text NOT NULL,
	`approved_at` integer NOT NULL,
	`withdrawn_by` text,
	`withdrawn_at` integer,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `result_publications_round_idx` ON `result_publications` (`round_id`,`district_id`);