CREATE TABLE `attachment_chunks` (
	`attachment_id` text NOT NULL,
	`idx` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`attachment_id`, `idx`),
	FOREIGN KEY (`attachment_id`) REFERENCES `attachments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`tip_id` text NOT NULL,
	`message_id` text,
	`header` blob NOT NULL,
	`chunk_count` integer NOT NULL,
	`ciphertext_size` integer NOT NULL,
	`complete` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attachments_tip_idx` ON `attachments` (`tip_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`object_type` text NOT NULL,
	`object_id` text,
	`detail` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_object_idx` ON `audit_log` (`object_type`,`object_id`);--> statement-breakpoint
CREATE TABLE `clue_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`finding_id` text NOT NULL,
	`receiving_body_zh` text NOT NULL,
	`receiving_body_en` text NOT NULL,
	`receiving_district_id` text,
	`reference` text,
	`transferred_at` integer NOT NULL,
	`transferred_by` text,
	`outcome` text DEFAULT 'pending' NOT NULL,
	`outcome_at` integer,
	`outcome_note` text,
	`outcome_by` text,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`receiving_district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transferred_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outcome_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clue_transfers_finding_idx` ON `clue_transfers` (`finding_id`);--> statement-breakpoint
CREATE INDEX `clue_transfers_receiver_idx` ON `clue_transfers` (`receiving_district_id`,`outcome`);--> statement-breakpoint
CREATE TABLE `districts` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction_id` text NOT NULL,
	`zone_id` text,
	`kind` text DEFAULT 'district' NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`jurisdiction_id`) REFERENCES `jurisdictions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`zone_id`) REFERENCES `zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `districts_zone_idx` ON `districts` (`zone_id`);--> statement-breakpoint
CREATE INDEX `districts_jurisdiction_idx` ON `districts` (`jurisdiction_id`);--> statement-breakpoint
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
	`immediate_rectification` integer DEFAULT false NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`stationing_id`) REFERENCES `stationings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `findings_stationing_idx` ON `findings` (`stationing_id`);--> statement-breakpoint
CREATE TABLE `identity_reveals` (
	`id` text PRIMARY KEY NOT NULL,
	`tip_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`reason` text NOT NULL,
	`decision` text DEFAULT 'pending' NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requested_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `identity_reveals_tip_idx` ON `identity_reveals` (`tip_id`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`created_by` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `invitations_staff_idx` ON `invitations` (`staff_id`);--> statement-breakpoint
CREATE TABLE `jurisdictions` (
	`id` text PRIMARY KEY NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `look_backs` (
	`id` text PRIMARY KEY NOT NULL,
	`resolution_id` text NOT NULL,
	`verdict` text NOT NULL,
	`note` text,
	`checked_at` integer NOT NULL,
	`checked_by` text,
	FOREIGN KEY (`resolution_id`) REFERENCES `resolutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `look_backs_resolution_idx` ON `look_backs` (`resolution_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`tip_id` text NOT NULL,
	`kind` text NOT NULL,
	`author_staff_id` text,
	`body` blob NOT NULL,
	`read_by_staff_at` integer,
	`read_by_tipster_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_tip_idx` ON `messages` (`tip_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `recovery_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recovery_codes_staff_idx` ON `recovery_codes` (`staff_id`);--> statement-breakpoint
CREATE TABLE `recusals` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`district_id` text NOT NULL,
	`unit_id` text,
	`reason` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recusals_district_idx` ON `recusals` (`district_id`,`staff_id`);--> statement-breakpoint
CREATE TABLE `resolutions` (
	`id` text PRIMARY KEY NOT NULL,
	`finding_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer,
	`beneficiaries` integer,
	`description` text NOT NULL,
	`evidence` text,
	`resolved_at` integer NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `resolutions_finding_idx` ON `resolutions` (`finding_id`);--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction_id` text NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`mode` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`indicator_count` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`jurisdiction_id`) REFERENCES `jurisdictions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rounds_jurisdiction_idx` ON `rounds` (`jurisdiction_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`second_factor_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_staff_idx` ON `sessions` (`staff_id`);--> statement-breakpoint
CREATE TABLE `spent_pow_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spent_pow_expiry_idx` ON `spent_pow_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `staff_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`box_public_key` blob NOT NULL,
	`sign_public_key` blob,
	`wrapped_secret_key` blob NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`signed_home_district_id` text,
	`valid_until` integer,
	`office_signature` blob,
	`signed_by` text,
	`signed_at` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signed_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_keys_staff_idx` ON `staff_keys` (`staff_id`,`status`);--> statement-breakpoint
CREATE TABLE `staff_roles` (
	`staff_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`staff_id`, `role`),
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `staff_users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`jurisdiction_id` text NOT NULL,
	`home_district_id` text,
	`password_hash` text,
	`totp_secret` text,
	`totp_enabled_at` integer,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`disabled_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`jurisdiction_id`) REFERENCES `jurisdictions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`home_district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_username_uq` ON `staff_users` (`username`);--> statement-breakpoint
CREATE TABLE `stationing_units` (
	`stationing_id` text NOT NULL,
	`unit_id` text NOT NULL,
	PRIMARY KEY(`stationing_id`, `unit_id`),
	FOREIGN KEY (`stationing_id`) REFERENCES `stationings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stationing_units_unit_idx` ON `stationing_units` (`unit_id`);--> statement-breakpoint
CREATE TABLE `stationings` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`target_district_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`authorised_by_zh` text,
	`authorised_by_en` text,
	`duty_phone` text,
	`letter_box_zh` text,
	`letter_box_en` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stationings_target_window_idx` ON `stationings` (`target_district_id`,`starts_at`,`ends_at`);--> statement-breakpoint
CREATE INDEX `stationings_team_idx` ON `stationings` (`team_id`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`joined_at` integer NOT NULL,
	`left_at` integer,
	PRIMARY KEY(`team_id`, `staff_id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `team_members_staff_idx` ON `team_members` (`staff_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`home_district_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`home_district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `teams_round_idx` ON `teams` (`round_id`);--> statement-breakpoint
CREATE TABLE `tip_envelopes` (
	`id` text PRIMARY KEY NOT NULL,
	`tip_id` text NOT NULL,
	`staff_key_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`kind` text DEFAULT 'tip' NOT NULL,
	`envelope` blob NOT NULL,
	`granted_by` text,
	`share_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`staff_key_id`) REFERENCES `staff_keys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tip_envelopes_uq` ON `tip_envelopes` (`tip_id`,`staff_key_id`,`kind`);--> statement-breakpoint
CREATE INDEX `tip_envelopes_staff_idx` ON `tip_envelopes` (`staff_id`,`kind`);--> statement-breakpoint
CREATE TABLE `tip_labels` (
	`tip_id` text NOT NULL,
	`label` text NOT NULL,
	PRIMARY KEY(`tip_id`, `label`),
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tip_status_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tip_id` text NOT NULL,
	`status` text NOT NULL,
	`actor_id` text,
	`public_message` blob,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tip_status_history_tip_idx` ON `tip_status_history` (`tip_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `tips` (
	`id` text PRIMARY KEY NOT NULL,
	`target_district_id` text NOT NULL,
	`unit_id` text,
	`stationing_id` text,
	`routed_to` text NOT NULL,
	`category` text,
	`corruption_type` text,
	`receipt_auth_hash` text NOT NULL,
	`tipster_public_key` blob NOT NULL,
	`tipster_envelope` blob NOT NULL,
	`payload` blob NOT NULL,
	`identity_payload` blob,
	`identity_revealed_at` integer,
	`only_outsiders` integer DEFAULT true NOT NULL,
	`submitted_via` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`assignee_id` text,
	`key_minority` integer DEFAULT false NOT NULL,
	`merged_into_id` text,
	`acknowledge_by` integer NOT NULL,
	`feedback_by` integer NOT NULL,
	`acknowledged_at` integer,
	`last_tipster_activity_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`target_district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stationing_id`) REFERENCES `stationings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tips_receipt_auth_uq` ON `tips` (`receipt_auth_hash`);--> statement-breakpoint
CREATE INDEX `tips_district_created_idx` ON `tips` (`target_district_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tips_stationing_idx` ON `tips` (`stationing_id`,`status`);--> statement-breakpoint
CREATE INDEX `tips_assignee_idx` ON `tips` (`assignee_id`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` text PRIMARY KEY NOT NULL,
	`district_id` text NOT NULL,
	`kind` text NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `units_district_idx` ON `units` (`district_id`);--> statement-breakpoint
CREATE TABLE `zones` (
	`id` text PRIMARY KEY NOT NULL,
	`jurisdiction_id` text NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`jurisdiction_id`) REFERENCES `jurisdictions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `zones_jurisdiction_idx` ON `zones` (`jurisdiction_id`);