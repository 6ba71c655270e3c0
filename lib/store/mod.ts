/**
 * The store: SQLite (node:sqlite) schema, migrations and record access.
 *
 * @module
 */
export {
  CATEGORIES,
  type Category,
  contentHash,
  MEMORY_TYPES,
  type MemoryRecord,
  type MemoryType,
  newRecord,
  type ReviewEvent,
  type Status,
  statusBit,
  STATUSES,
  type StoredMemory,
  uuidv7,
} from "./record.ts";
export { isNarrowing, type MemoryFilter, needsRowLookup, whereFor } from "./filter.ts";
export { Store, type StoreOptions } from "./store.ts";
export { type FtsHit } from "./fts.ts";
export { type ChangeSet, type StoredVector } from "./vectors.ts";
export { currentVersion, MIGRATIONS, pendingMigrations, SCHEMA_VERSION } from "./schema.ts";
export { migrateDatabase, type MigrationReport } from "./migrate.ts";
export {
  edgeDetailRef,
  encryptionFromConfig,
  looksSealed,
  openField,
  rememberPayloadRef,
  sealField,
  type StoreEncryption,
} from "./sealed.ts";
export {
  deepestPath,
  isUnreadableMetadata,
  MAX_STORED_METADATA_DEPTH,
  UNREADABLE_METADATA_KEY,
} from "./safe_metadata.ts";
export {
  CONTEXT_WINDOW,
  type ContextColumns,
  contextFts,
  contextText,
  type EpisodeLink,
  episodeLinks,
  episodeOf,
  type Line,
  lineOf,
  lineText,
} from "./context.ts";
export { backfillContext, rebuildContextFts } from "./context_fill.ts";
export {
  decryptAll,
  encryptExisting,
  type EncryptionStatus,
  encryptionStatus,
  type NamespaceEncryption,
  type OnProgress,
  type PassOptions,
  rotateKeys,
  type RotateReport,
  rowsWithKid,
} from "./encryption.ts";
export {
  embedderStats,
  type NamespaceStats,
  namespaceStats,
  pksNeedingEmbedding,
} from "./stats.ts";
