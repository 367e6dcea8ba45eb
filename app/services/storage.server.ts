/**
 * Routes see storage failures through this module (a `.server` file, so the database client never
 * reaches a browser bundle): the database cannot take writes right now (db/client.ts).
 */
export { isStorageFailure, StorageUnavailableError } from "../../db/client";
