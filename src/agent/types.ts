/**
 * The agent's contracts, split by part in `types/` (see `types/mod.ts`).
 * This path stays the import every part uses, so the split moved no
 * importer.
 *
 * @module
 */

export * from "./types/mod.ts";
