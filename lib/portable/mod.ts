/**
 * Portable artifacts of the memoryOSS lines `memoryoss.runtime|passport|history|bundle.v1alpha1`:
 * lossless parsing, the exact canonical forms behind their integrity hashes, `verify`,
 * `normalize` (the conformance normalizer), zod schemas, and signatures (memoryOSS HMAC and our
 * Ed25519). Pure functions; file and network I/O belong to the callers.
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
export * from "./schemas.ts";
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
export { normalize, syncPeerSubject, trustSubject } from "./normalize.ts";
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
  type SignatureFields,
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
