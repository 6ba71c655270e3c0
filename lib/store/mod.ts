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
export { SqliteEngine } from "./engine/sqlite.ts";
export type {
  EngineChanges,
  EngineHit,
  EngineInfo,
  EngineVector,
  EngineVectorRow,
  ListPage,
  MemoryEngine,
  MemoryWrite,
  NamespaceCounts,
  NamespaceScope,
} from "./engine/types.ts";
export type {
  ActivityEngine,
  ActivityInput,
  ActivityQuery,
  ClaimedItem,
  ClaimOptions,
  EdgeSelector,
  GraphEngine,
  KeyEngine,
  QueueCounts,
  QueueDecisionInput,
  QueueEngine,
} from "./engine/side_types.ts";
export {
  type FtsAdmit,
  ftsAdmitted,
  type FtsHit,
  ftsPhraseScores,
  type FtsRanked,
  ftsRankIndex,
  type FtsRanking,
  ftsSearch,
} from "./fts.ts";
export {
  type ChangeSet,
  loadVectors,
  rowsPerNamespace,
  type StoredVector,
  vectorPage,
  type VectorRun,
  vectorsByPk,
  vectorsUpTo,
} from "./vectors.ts";
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
  namespaceHasTurns,
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
export {
  deleteAutoEdges,
  deleteAutoEdgesIn,
  deleteAutoTemporalEdge,
  deleteEdgesBetween,
  deleteEdgesTouching,
  type Edge,
  EDGE_KINDS,
  edgeCounts,
  type EdgeKind,
  type EdgeOrigin,
  edgesTouching,
  isEdgeKind,
  upsertEdge,
  upsertEdges,
} from "./graph_sql.ts";
export {
  createdAtOfPks,
  ftsFirstMatchesIn,
  ftsMatchPks,
  lastTombstoneRev,
  liveMemoryIds,
  maxMemoryPk,
  memoryIdsOldestFirst,
  memoryNamespaces,
  pksOfIds,
  type SessionNeighbour,
  sessionNeighbour,
  sessionRange,
} from "./link_sql.ts";
export {
  type ApiKeyRow,
  apiKeyRow,
  apiKeyRows,
  countLiveApiKeys,
  insertApiKey,
  markApiKeyRevoked,
  markApiKeyRotated,
  markApiKeyUsed,
  unrevokedApiKeyRows,
} from "./keys_sql.ts";
export { type ActivityEvent, appendActivity, newestActivity } from "./activity_sql.ts";
export {
  type IndexCounts,
  indexCounts,
  liveCountsByNamespace,
  namespacesWhere,
  recentlyUpdatedIds,
  sameContentCount,
  statusCountsIn,
} from "./counts_sql.ts";
export { brokenVectorCounts, clearBrokenVectors, integrityCheck } from "./doctor_sql.ts";
export {
  createdPerDay,
  liveVectorCounts,
  openRememberCount,
  recentlyInjectedIds,
  rememberDecisionCounts,
  sourceKeyCounts,
} from "./dashboard_sql.ts";
export { encryptedRowCount, sealedKidInFile, snapshotDatabase } from "./dbfile_sql.ts";
export {
  contextFtsAny,
  contextFtsMatchesAmong,
  contextRowCountUpTo,
  episodePksOfSpeakers,
  ftsBestAnywhere,
  ftsMatchCount,
} from "./recall_sql.ts";
export {
  type EdgeLink,
  type MemoryNodeRow,
  memoryNodeRows,
  strongestEdgesTouching,
} from "./walk_sql.ts";
export { deleteMetaValue, metaValue, setMetaValue } from "./meta_sql.ts";
export {
  type ClaimedQueueRow,
  claimQueueRows,
  countQueueTry,
  type DecisionRow,
  decisionsTouching,
  failQueueRow,
  markQueueRowDone,
  markQueueRowSkipped,
  type QueueCountRow,
  queueCounts,
  type QueueDecision,
  type QueueListRow,
  queueListRows,
  STALE_MARK,
} from "./queue_sql.ts";
export {
  embeddingFingerprint,
  memoryCount,
  memoryCountInPkRange,
  memoryIdsInPkRange,
} from "./memory_sql.ts";
export {
  FTS_COLUMN_WEIGHTS,
  ftsDocSizes,
  ftsTermPostings,
  ftsTermRowCounts,
  ftsTokenize,
  ftsTotals,
  memoryPlaces,
  memoryTagsText,
  tagsText,
  type TermPostings,
  type Tokenized,
} from "./dedup_sql.ts";
