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
  toPlain,
  tryParseJson,
} from "./json.ts";
export {
  compactReceived,
  compactSortedValue,
  compareCodePoints,
  encodeJsonString,
  prettyJson,
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
  canonicalEnvelope,
  canonicalPayload,
  envelopeSha256,
  HISTORY_HASH_FIELDS,
  PASSPORT_HASH_FIELDS,
  payloadSha256,
} from "./integrity.ts";
export { HistoryBundle, PassportBundle, RUNTIME_CONTRACT_ID, RuntimeContract } from "./schemas.ts";
export { type NormalizeKind } from "./typed.ts";
export { detectKind, verify, type VerifyResult } from "./verify.ts";
export { normalize, syncPeerSubject, trustSubject } from "./normalize.ts";
export { ADDITIVE_KEY, readAdditive } from "./additive.ts";
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
} from "./signature.ts";
export { buildBundle, checkBundleSignature, signBundle } from "./bundle.ts";
export { jcs } from "./jcs.ts";
export { buildPassport, inPassportScope, PASSPORT_SCOPES, type PassportScope } from "./passport.ts";
export { type ImportPreview, planImport, type PlanMemory, planPreview } from "./import_plan.ts";
export { mergeRecord, remapLineage } from "./import_apply.ts";
export { buildHistory, historyEdges, historyNodes, historyTimeline } from "./history.ts";
export {
  exportPassport,
  importPassport,
  importPassportChecked,
  type PassportImportResult,
  planKeys,
} from "./passport_ops.ts";
export {
  branchHistory,
  exportHistory,
  replayHistory,
  type ReplayResult,
  showHistory,
} from "./history_ops.ts";
export { diffArtifacts, innerArtifact, previewArtifact } from "./bundle_view.ts";
export {
  decideTrust,
  emptyFabric,
  LOCAL_IDENTITY,
  parseTrustFabric,
  type TrustDecision,
  TrustFabric,
  TrustIdentity,
} from "./trust.ts";
export {
  artifactText,
  BundleExportInput,
  exportBundle,
  PassportExportInput,
  validationReport,
} from "./bundle_ops.ts";
export {
  addIdentity,
  IDENTITY_KINDS,
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
  type ReaderTrust,
  renderDiffText,
  renderText,
  safeText,
  trustLine,
} from "./reader.ts";
export { escapeHtml, renderDiffHtml, renderHtml } from "./reader_html.ts";
export { admission } from "./admission.ts";
export { certifiedForget } from "./deletion_receipt.ts";
export {
  applyTeamManifest,
  readTeamManifest,
  TEAM_RECEIPT_FILE,
  TeamManifest,
} from "./team_manifest.ts";
export { exportCatalog, importCatalog, restoreIdentity, unpinIdentity } from "./trust_catalog.ts";
export { SIDECAR_KINDS, type SidecarKind, signSidecar, verifySidecar } from "./trust_sidecar.ts";
export { proposalInput, ProposeInputSchema, teamGovernance } from "./governance.ts";
