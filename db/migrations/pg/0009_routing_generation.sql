-- The routing generation (ADR 038, db/routing-generation.ts): one row, raised in the same
-- transaction as every change to what routing reads, once per transaction, at its commit
-- (deferred constraint triggers: the row is locked only while the transaction commits, so
-- writers of these tables never wait for each other's earlier statements on it). Not part of
-- the drizzle schema.
CREATE TABLE "routing_generation" (
	"id" integer PRIMARY KEY NOT NULL,
	"generation" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "routing_generation" ("id", "generation") VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION "routing_generation_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('crosswatch.routing_generation_bumped', true) IS DISTINCT FROM txid_current()::text THEN
		UPDATE "routing_generation" SET "generation" = "generation" + 1 WHERE "id" = 1;
		PERFORM set_config('crosswatch.routing_generation_bumped', txid_current()::text, true);
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_districts" AFTER INSERT OR UPDATE OR DELETE ON "districts"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_districts_truncate" AFTER TRUNCATE ON "districts"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_units" AFTER INSERT OR UPDATE OR DELETE ON "units"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_units_truncate" AFTER TRUNCATE ON "units"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_rounds" AFTER INSERT OR UPDATE OR DELETE ON "rounds"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_rounds_truncate" AFTER TRUNCATE ON "rounds"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_teams" AFTER INSERT OR UPDATE OR DELETE ON "teams"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_teams_truncate" AFTER TRUNCATE ON "teams"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_team_members" AFTER INSERT OR UPDATE OR DELETE ON "team_members"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_team_members_truncate" AFTER TRUNCATE ON "team_members"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_stationings" AFTER INSERT OR UPDATE OR DELETE ON "stationings"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_stationings_truncate" AFTER TRUNCATE ON "stationings"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_stationing_units" AFTER INSERT OR UPDATE OR DELETE ON "stationing_units"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_stationing_units_truncate" AFTER TRUNCATE ON "stationing_units"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_staff_roles" AFTER INSERT OR UPDATE OR DELETE ON "staff_roles"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_staff_roles_truncate" AFTER TRUNCATE ON "staff_roles"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_staff_keys" AFTER INSERT OR UPDATE OR DELETE ON "staff_keys"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_staff_keys_truncate" AFTER TRUNCATE ON "staff_keys"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_recusals" AFTER INSERT OR UPDATE OR DELETE ON "recusals"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_recusals_truncate" AFTER TRUNCATE ON "recusals"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_rosters" AFTER INSERT OR UPDATE OR DELETE ON "rosters"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_rosters_truncate" AFTER TRUNCATE ON "rosters"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "routing_generation_staff_users" AFTER INSERT OR UPDATE OF "id", "display_name", "jurisdiction_id", "home_district_id", "disabled_at" OR DELETE ON "staff_users"
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "routing_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "routing_generation_staff_users_truncate" AFTER TRUNCATE ON "staff_users"
	FOR EACH STATEMENT EXECUTE FUNCTION "routing_generation_bump"();
