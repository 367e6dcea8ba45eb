DROP TABLE "clue_transfers" CASCADE;--> statement-breakpoint
DROP TABLE "finding_tips" CASCADE;--> statement-breakpoint
DROP TABLE "findings" CASCADE;--> statement-breakpoint
DROP TABLE "look_backs" CASCADE;--> statement-breakpoint
DROP TABLE "resolutions" CASCADE;