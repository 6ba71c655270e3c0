/**
 * Portable artifacts of the memoryOSS lines `memoryoss.runtime|passport|history|bundle.v1alpha1`:
 * lossless parsing, the exact canonical forms behind their integrity hashes, `verify`,
 * `normalize` (the conformance normalizer), zod schemas, and signatures (memoryOSS HMAC and our
 * Ed25519). On top of those: building passports and histories from records, the import plan
 * (create / merge / conflict), bundle preview and diff, the trust fabric and its decisions
 * (`admission`: the one verdict on a received artifact), and the offline reader (text, JSON,
 * self-contained HTML). The `*_ops` functions take an open
 * runtime; everything else is pure, with file and network I/O left to the callers.
 *
 * @example
 * ```ts
 * import { normalize, verify } from "./lib/portable/mod.ts";
 * const text = await Deno.readTextFile("passport-bundle.json");
 * verify(text).ok; // true
 * normalize("passport", text) === text; // true for the published fixture
 * ```
 *
 * @module
 */
export {
  cloneJson,
  formatPath,
  fromPlain,
  getPath,
  isJsonObject,
  isLosslessNumber,
  type JsonObject,
  type JsonPath,
  type JsonValue,
  LosslessNumber,
  MAX_DEPTH,
  parseJson,
  type ParseOutcome,
  toPlain,
  type ToPlainOptions,
  tryParseJson,
} from "./json.ts";
export {
  compactReceived,
  compactSortedValue,
  compareCodePoints,
  encodeJsonString,
  prettyJson,
  serialize,
  type SerializeOptions,
  sha256Hex,
} from "./canonical.ts";
export {
  chronoJsonTimestamp,
  chronoToRfc3339,
  formatF64,
  isRfc3339,
  serdeValueNumber,
} from "./rust_format.ts";
export {
  bundleReference,
  canonicalEnvelope,
  canonicalPayload,
  envelopeHashObject,
  envelopeSha256,
  type HashedKind,
  hashObject,
  HISTORY_HASH_FIELDS,
  PASSPORT_HASH_FIELDS,
  payloadSha256,
  SIGNATURE_HASH_FIELDS,
} from "./integrity.ts";
export {
  BUNDLE_VERSION,
  BundleEnvelope,
  BundleSignature,
  HISTORY_VERSION,
  HistoryBundle,
  HistoryEdge,
  HistoryEvent,
  PASSPORT_VERSION,
  PassportBundle,
  PassportEntry,
  ReviewEvent,
  RUNTIME_CONTRACT_ID,
  RuntimeContract,
  RuntimeExportMetadata,
  SignatureChainEntry,
  TeamGovernance,
  Timestamp,
  Uuid,
} from "./schemas.ts";
export {
  historyTree,
  type NormalizeKind,
  passportEntryTree,
  passportTree,
  runtimeContractTree,
  typedTree,
} from "./typed.ts";
export {
  type ArtifactKind,
  detectKind,
  verify,
  type VerifyIssue,
  type VerifyResult,
} from "./verify.ts";
export { normalize, type NormalizeOptions, syncPeerSubject, trustSubject } from "./normalize.ts";
export { ADDITIVE_KEY, type AdditiveFields, readAdditive, storedAdditive } from "./additive.ts";
export {
  ED25519_SCHEME,
  ed25519Message,
  ed25519Sign,
  ed25519Verify,
  exportEd25519PrivateKey,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  HMAC_SCHEME,
  hmacMessage,
  hmacSign,
  hmacVerify,
  importEd25519PrivateKey,
  importEd25519PublicKey,
  keyFingerprint,
  type SignatureFields,
  signerName,
  UNSIGNED_SCHEME,
} from "./signature.ts";
export {
  buildBundle,
  type BuildBundleOptions,
  type BundleSigner,
  checkBundleSignature,
  type SignatureCheck,
  type SignatureKeys,
  signBundle,
  type SignBundleOptions,
} from "./bundle.ts";
export { jcs } from "./jcs.ts";
export {
  buildPassport,
  type BuildPassportOptions,
  byCreation,
  entryFromRecord,
  EXTRAS_FIELD,
  inPassportScope,
  PASSPORT_SCOPES,
  type PassportScope,
  readExtras,
  readPassport,
  type RecordExtras,
  recordFromEntry,
  storeTimestamp,
} from "./passport.ts";
export {
  type ImportPreview,
  planImport,
  type PlanItem,
  type PlanMemory,
  planPreview,
  type PlanRules,
} from "./import_plan.ts";
export { mergeRecord, mergeReviewEvents, remapLineage, sameRecord } from "./import_apply.ts";
export {
  buildHistory,
  type BuildHistoryOptions,
  historyEdges,
  historyNodes,
  historyTimeline,
  type HistoryView,
  historyView,
} from "./history.ts";
export {
  type AdmitOptions,
  admitReceived,
  exportPassport,
  importPassport,
  importPassportChecked,
  type PassportImportResult,
  planKeys,
  verifiedPayload,
} from "./passport_ops.ts";
export {
  branchHistory,
  exportHistory,
  replayHistory,
  type ReplayPreview,
  type ReplayResult,
  showHistory,
} from "./history_ops.ts";
export {
  type ArtifactDiff,
  artifactMemories,
  type ArtifactPreview,
  type ChangedMemory,
  diffArtifacts,
  innerArtifact,
  type MemorySummary,
  previewArtifact,
} from "./bundle_view.ts";
export {
  decideTrust,
  emptyFabric,
  LOCAL_IDENTITY,
  parseTrustFabric,
  SIGNATURE_FAILURE,
  TRUST_FORMAT,
  type TrustDecision,
  TrustFabric,
  TrustIdentity,
  type TrustKeys,
  TrustRevocation,
  type TrustStatus,
} from "./trust.ts";
export {
  artifactText,
  BundleExportInput,
  exportBundle,
  type ExportBundleOptions,
  PassportExportInput,
  type ValidationReport,
  validationReport,
} from "./bundle_ops.ts";
export {
  addIdentity,
  type AddIdentityOptions,
  IDENTITY_KINDS,
  identityId,
  type IdentityKind,
  parsePublicKey,
  pinIdentity,
  publicKeyBase64,
  removeIdentity,
  replaceIdentity,
  requireIdentity,
  revokeIdentity,
  type TrustRow,
  trustRows,
} from "./trust_admin.ts";
export {
  DEVICE_KEY_FILE,
  devicePublicKey,
  type DeviceSigner,
  deviceSigner,
  editTrustFile,
  homeTrust,
  readTrustFabric,
  TRUST_FILE,
  writeTrustFabric,
} from "./trust_store.ts";
export {
  diffDocuments,
  openArtifact,
  openTree,
  type ReaderDiff,
  type ReaderDocument,
  type ReaderIssue,
  type ReaderTrust,
  renderDiffText,
  renderText,
  safeText,
  trustLine,
} from "./reader.ts";
export { escapeHtml, renderDiffHtml, renderHtml } from "./reader_html.ts";
export {
  type Admission,
  admission,
  type Examined,
  requireAdmission,
  type Verdict,
} from "./admission.ts";
export {
  certifiedForget,
  type CertifiedForgetResult,
  type DeletionCertificate,
  merkleRoot,
  type ReceiptSignature,
} from "./deletion_receipt.ts";
export {
  type CatalogImport,
  exportCatalog,
  importCatalog,
  restoreIdentity,
  TrustCatalog,
  unpinIdentity,
} from "./trust_catalog.ts";
export {
  Sidecar,
  SIDECAR_KINDS,
  type SidecarKind,
  sidecarSubject,
  signSidecar,
  verifySidecar,
} from "./trust_sidecar.ts";
export {
  type GovernanceBranch,
  proposalInput,
  ProposeInputSchema,
  staleGovernance,
  teamGovernance,
} from "./governance.ts";
