CREATE TABLE "rosters" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction_id" text NOT NULL,
	"kind" text NOT NULL,
	"roster_id" text NOT NULL,
	"serial" integer NOT NULL,
	"valid_from" timestamp (3) with time zone NOT NULL,
	"valid_until" timestamp (3) with time zone NOT NULL,
	"roster" "bytea" NOT NULL,
	"signature" "bytea" NOT NULL,
	"signed_by" text,
	"signed_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rosters" ADD CONSTRAINT "rosters_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rosters" ADD CONSTRAINT "rosters_signed_by_staff_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rosters_serial_idx" ON "rosters" USING btree ("kind","roster_id","serial");--> statement-breakpoint
CREATE INDEX "rosters_jurisdiction_window_idx" ON "rosters" USING btree ("jurisdiction_id","valid_until");