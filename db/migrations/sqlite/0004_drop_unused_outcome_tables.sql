DROP TABLE `clue_transfers`;--> statement-breakpoint
DROP TABLE `finding_tips`;--> statement-breakpoint
DROP TABLE `findings`;--> statement-breakpoint
DROP TABLE `look_backs`;--> statement-breakpoint
DROP TABLE `resolutions`;