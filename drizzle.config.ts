/**
 * drizzle-kit for both engines (ADR 009): `npm run db:generate` runs it twice, once per dialect,
 * from the one schema in db/schema.ts. The dialect follows DATABASE_URL exactly as at run time.
 */
import { defineConfig } from "drizzle-kit";
import { DIALECT } from "./db/dialect";

export default defineConfig({
  dialect: DIALECT === "pg" ? "postgresql" : "sqlite",
  schema: "./db/schema.ts",
  out: DIALECT === "pg" ? "./db/migrations/pg" : "./db/migrations/sqlite",
});
