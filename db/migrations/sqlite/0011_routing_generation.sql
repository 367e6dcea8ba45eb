-- The routing generation (ADR 038, db/routing-generation.ts): one row, raised by triggers in the
-- same transaction as every change to what routing reads. Not part of the drizzle schema.
CREATE TABLE `routing_generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `routing_generation` (`id`, `generation`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `routing_generation_districts_insert` AFTER INSERT ON `districts`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_districts_update` AFTER UPDATE ON `districts`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_districts_delete` AFTER DELETE ON `districts`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_units_insert` AFTER INSERT ON `units`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_units_update` AFTER UPDATE ON `units`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_units_delete` AFTER DELETE ON `units`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_rounds_insert` AFTER INSERT ON `rounds`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_rounds_update` AFTER UPDATE ON `rounds`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_rounds_delete` AFTER DELETE ON `rounds`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_teams_insert` AFTER INSERT ON `teams`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_teams_update` AFTER UPDATE ON `teams`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_teams_delete` AFTER DELETE ON `teams`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_team_members_insert` AFTER INSERT ON `team_members`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_team_members_update` AFTER UPDATE ON `team_members`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_team_members_delete` AFTER DELETE ON `team_members`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_stationings_insert` AFTER INSERT ON `stationings`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_stationings_update` AFTER UPDATE ON `stationings`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_stationings_delete` AFTER DELETE ON `stationings`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_stationing_units_insert` AFTER INSERT ON `stationing_units`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_stationing_units_update` AFTER UPDATE ON `stationing_units`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_stationing_units_delete` AFTER DELETE ON `stationing_units`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_roles_insert` AFTER INSERT ON `staff_roles`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_roles_update` AFTER UPDATE ON `staff_roles`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_roles_delete` AFTER DELETE ON `staff_roles`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_keys_insert` AFTER INSERT ON `staff_keys`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_keys_update` AFTER UPDATE ON `staff_keys`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_keys_delete` AFTER DELETE ON `staff_keys`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_recusals_insert` AFTER INSERT ON `recusals`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_recusals_update` AFTER UPDATE ON `recusals`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_recusals_delete` AFTER DELETE ON `recusals`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_rosters_insert` AFTER INSERT ON `rosters`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_rosters_update` AFTER UPDATE ON `rosters`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_rosters_delete` AFTER DELETE ON `rosters`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_users_insert` AFTER INSERT ON `staff_users`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_users_update` AFTER UPDATE OF `id`, `display_name`, `jurisdiction_id`, `home_district_id`, `disabled_at` ON `staff_users`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `routing_generation_staff_users_delete` AFTER DELETE ON `staff_users`
BEGIN
	UPDATE `routing_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
