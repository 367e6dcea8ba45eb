CREATE TABLE "clue_transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"finding_id" text NOT NULL,
	"receiving_body_id" text NOT NULL,
	"reference" text,
	"note" "bytea",
	"transferred_at" timestamp (3) with time zone NOT NULL,
	"transferred_by" text,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"outcome_at" timestamp (3) with time zone,
	"outcome_note" "bytea",
	"outcome_by" text
);
--> statement-breakpoint
CREATE TABLE "finding_envelopes" (
	"id" text PRIMARY KEY NOT NULL,
	"finding_id" text NOT NULL,
	"staff_key_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"envelope" "bytea" NOT NULL,
	"granted_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finding_tips" (
	"finding_id" text NOT NULL,
	"tip_id" text NOT NULL,
	"linked_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finding_tips_finding_id_tip_id_pk" PRIMARY KEY("finding_id","tip_id")
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" text PRIMARY KEY NOT NULL,
	"stationing_id" text NOT NULL,
	"unit_id" text,
	"category" text NOT NULL,
	"corruption_type" text,
	"key_minority" boolean DEFAULT false NOT NULL,
	"amount_involved_fen" bigint,
	"immediate_rectification" boolean DEFAULT false NOT NULL,
	"rectified_at" timestamp (3) with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"body" "bytea" NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "look_back_checks" (
	"look_back_id" text NOT NULL,
	"finding_id" text NOT NULL,
	"problem_confirmed" boolean NOT NULL,
	"rectification" text NOT NULL,
	"note" "bytea",
	"checked_by" text,
	"checked_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "look_back_checks_look_back_id_finding_id_pk" PRIMARY KEY("look_back_id","finding_id")
);
--> statement-breakpoint
CREATE TABLE "look_backs" (
	"id" text PRIMARY KEY NOT NULL,
	"round_id" text NOT NULL,
	"opened_by" text,
	"opened_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receiving_bodies" (
	"id" text PRIMARY KEY NOT NULL,
	"jurisdiction_id" text NOT NULL,
	"district_id" text,
	"kind" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receiving_body_members" (
	"body_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"joined_at" timestamp (3) with time zone NOT NULL,
	"left_at" timestamp (3) with time zone,
	CONSTRAINT "receiving_body_members_body_id_staff_id_pk" PRIMARY KEY("body_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "resolution_file_chunks" (
	"file_id" text NOT NULL,
	"idx" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "resolution_file_chunks_file_id_idx_pk" PRIMARY KEY("file_id","idx")
);
--> statement-breakpoint
CREATE TABLE "resolution_files" (
	"id" text PRIMARY KEY NOT NULL,
	"resolution_id" text NOT NULL,
	"header" "bytea" NOT NULL,
	"chunk_count" integer NOT NULL,
	"ciphertext_size" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resolutions" (
	"id" text PRIMARY KEY NOT NULL,
	"finding_id" text NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" bigint,
	"beneficiaries" integer,
	"details" "bytea" NOT NULL,
	"resolved_at" timestamp (3) with time zone NOT NULL,
	"verification" text DEFAULT 'pending' NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_publications" (
	"id" text PRIMARY KEY NOT NULL,
	"round_id" text NOT NULL,
	"district_id" text NOT NULL,
	"figures" text NOT NULL,
	"finding_count" integer NOT NULL,
	"approved_by" text NOT NULL,
	"approved_at" timestamp (3) with time zone NOT NULL,
	"withdrawn_by" text,
	"withdrawn_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "clue_transfers" ADD CONSTRAINT "clue_transfers_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clue_transfers" ADD CONSTRAINT "clue_transfers_receiving_body_id_receiving_bodies_id_fk" FOREIGN KEY ("receiving_body_id") REFERENCES "public"."receiving_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clue_transfers" ADD CONSTRAINT "clue_transfers_transferred_by_staff_users_id_fk" FOREIGN KEY ("transferred_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clue_transfers" ADD CONSTRAINT "clue_transfers_outcome_by_staff_users_id_fk" FOREIGN KEY ("outcome_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_envelopes" ADD CONSTRAINT "finding_envelopes_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_envelopes" ADD CONSTRAINT "finding_envelopes_staff_key_id_staff_keys_id_fk" FOREIGN KEY ("staff_key_id") REFERENCES "public"."staff_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_envelopes" ADD CONSTRAINT "finding_envelopes_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_envelopes" ADD CONSTRAINT "finding_envelopes_granted_by_staff_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_tips" ADD CONSTRAINT "finding_tips_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_tips" ADD CONSTRAINT "finding_tips_tip_id_tips_id_fk" FOREIGN KEY ("tip_id") REFERENCES "public"."tips"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_tips" ADD CONSTRAINT "finding_tips_linked_by_staff_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_stationing_id_stationings_id_fk" FOREIGN KEY ("stationing_id") REFERENCES "public"."stationings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "look_back_checks" ADD CONSTRAINT "look_back_checks_look_back_id_look_backs_id_fk" FOREIGN KEY ("look_back_id") REFERENCES "public"."look_backs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "look_back_checks" ADD CONSTRAINT "look_back_checks_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "look_back_checks" ADD CONSTRAINT "look_back_checks_checked_by_staff_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "look_backs" ADD CONSTRAINT "look_backs_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "look_backs" ADD CONSTRAINT "look_backs_opened_by_staff_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receiving_bodies" ADD CONSTRAINT "receiving_bodies_jurisdiction_id_jurisdictions_id_fk" FOREIGN KEY ("jurisdiction_id") REFERENCES "public"."jurisdictions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receiving_bodies" ADD CONSTRAINT "receiving_bodies_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receiving_body_members" ADD CONSTRAINT "receiving_body_members_body_id_receiving_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."receiving_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receiving_body_members" ADD CONSTRAINT "receiving_body_members_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolution_file_chunks" ADD CONSTRAINT "resolution_file_chunks_file_id_resolution_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."resolution_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolution_files" ADD CONSTRAINT "resolution_files_resolution_id_resolutions_id_fk" FOREIGN KEY ("resolution_id") REFERENCES "public"."resolutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_publications" ADD CONSTRAINT "result_publications_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_publications" ADD CONSTRAINT "result_publications_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_publications" ADD CONSTRAINT "result_publications_approved_by_staff_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_publications" ADD CONSTRAINT "result_publications_withdrawn_by_staff_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clue_transfers_finding_idx" ON "clue_transfers" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "clue_transfers_body_idx" ON "clue_transfers" USING btree ("receiving_body_id","outcome");--> statement-breakpoint
CREATE UNIQUE INDEX "finding_envelopes_uq" ON "finding_envelopes" USING btree ("finding_id","staff_key_id");--> statement-breakpoint
CREATE INDEX "finding_envelopes_staff_idx" ON "finding_envelopes" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "finding_tips_tip_idx" ON "finding_tips" USING btree ("tip_id");--> statement-breakpoint
CREATE INDEX "findings_stationing_idx" ON "findings" USING btree ("stationing_id","category");--> statement-breakpoint
CREATE UNIQUE INDEX "look_backs_round_uq" ON "look_backs" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "receiving_bodies_jurisdiction_idx" ON "receiving_bodies" USING btree ("jurisdiction_id","district_id");--> statement-breakpoint
CREATE INDEX "receiving_body_members_staff_idx" ON "receiving_body_members" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "resolution_files_resolution_idx" ON "resolution_files" USING btree ("resolution_id");--> statement-breakpoint
CREATE INDEX "resolutions_finding_idx" ON "resolutions" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "result_publications_round_idx" ON "result_publications" USING btree ("round_id","district_id");