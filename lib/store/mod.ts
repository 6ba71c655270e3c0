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
export { isNarrowing, type MemoryFilter, needsRowLookup } from "./filter.ts";
export { Store } from "./store.ts";
export { SqliteEngine } from "./engine/sqlite.ts";
export type { EngineInfo, MemoryEngine, MemoryWrite } from "./engine/types.ts";
export type { ClaimedItem } from "./engine/side_types.ts";
export {
  ftsAdmitted,
  type FtsHit,
  ftsPhraseScores,
  type FtsRanked,
  ftsRankIndex,
  ftsSearch,
} from "./fts.ts";
export {
  loadVectors,
  rowsPerNamespace,
  type StoredVector,
  vectorPage,
  vectorsByPk,
} from "./vectors.ts";
export { currentVersion, MIGRATIONS, SCHEMA_VERSION } from "./schema.ts";
export { migrateDatabase } from "./migrate.ts";
export {
  encryptionFromConfig,
  openSealedAsync,
  rememberPayloadRef,
  type StoreEncryption,
} from "./sealed.ts";
export { isUnreadableMetadata } from "./safe_metadata.ts";
export {
  contextFts,
  contextText,
  type EpisodeLink,
  episodeLinks,
  namespaceHasTurns,
} from "./context.ts";

export {
  decryptAll,
  encryptExisting,
  encryptionStatus,
  type OnProgress,
  rotateKeys,
  rowsWithKid,
} from "./encryption.ts";
export { embedderStats, namespaceStats, pksNeedingEmbedding } from "./stats.ts";
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
  indexCounts,
  liveCountsByNamespace,
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
  ftsMatchCountUpTo,
  withoutConversation,
} from "./recall_sql.ts";
export {
  changeToken,
  type EdgeLink,
  edgesOfNode,
  type MemoryNodeRow,
  memoryNodeRows,
  strongestEdgesTouching,
} from "./walk_sql.ts";
export { deleteMetaValue, metaValue, setMetaValue } from "./meta_sql.ts";
export {
  claimQueueRows,
  countQueueTry,
  decisionsTouching,
  failQueueRow,
  markQueueRowDone,
  markQueueRowSkipped,
  queueCounts,
  queueListRows,
} from "./queue_sql.ts";
export {
  embeddingFingerprint,
  memoryCount,
  memoryCountInPkRange,
  memoryIdsInPkRange,
} from "./memory_sql.ts";
export {
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
