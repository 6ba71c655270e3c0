/**
 * `memoryoss conformance normalize`: check the artifact (schema; passport and history must
 * verify), then print it the way memoryOSS's reference normalizers do (`tests/
 * reference_conformance.py`: `json.dumps(value, ensure_ascii=False, indent=2)` plus a newline,
 * and the TypeScript SDK's equivalent): the received object itself, pretty-printed. So additive
 * (unknown) fields, nulls, empty lists, key order and timestamp text are kept; number lexemes
 * are kept as received (`1.0` stays `1.0`, as Python prints a float). The `typed` view prints
 * what the Rust runtime's normalizer writes instead (its struct: unknown fields dropped).
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { compactReceived, prettyJson, sha256Hex } from "./canonical.ts";
import { formatPath, type JsonObject, type JsonValue, parseJson } from "./json.ts";
import { type NormalizeKind, typedTree } from "./typed.ts";
import { verify } from "./verify.ts";

export type { NormalizeKind };

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /**
   * `reference` (default): the received object, as the Python and TypeScript reference
   * normalizers print it. `typed`: the Rust runtime's typed struct (struct field order, unknown
   * fields dropped, `?` fields omitted when null or empty, f64 and timestamps re-printed).
   */
  view?: "reference" | "typed";
}

function toTree(input: string | Uint8Array | JsonValue): JsonValue {
  return typeof input === "string" || input instanceof Uint8Array ? parseJson(input) : input;
}

/**
 * What `memoryoss conformance normalize --kind <kind>` writes. The artifact must match its
 * schema (`MemoryossError("INVALID_INPUT")`) and a passport or history must pass
 * {@link verify} (`MemoryossError("INTEGRITY")`, path of the first error).
 *
 * @example
 * ```ts
 * normalize("passport", fixtureText) === fixtureText; // true for the published fixture
 * normalize("passport", '{"bundle_version": …}'); // pretty, additive fields kept
 * ```
 */
export function normalize(
  kind: NormalizeKind,
  input: string | Uint8Array | JsonValue,
  options: NormalizeOptions = {},
): string {
  const tree = toTree(input);
  const typed = typedTree(kind, tree);
  if (kind !== "runtime_contract") {
    const v = verify(tree);
    if (v.kind !== kind) {
      throw new MemoryossError("INVALID_INPUT", `input is a ${v.kind}, not a ${kind}`);
    }
    if (!v.ok) {
      const first = v.errors[0];
      throw new MemoryossError(
        "INTEGRITY",
        `${kind} failed verification at ${formatPath(first.path)}: ${first.message}`,
        first.path,
      );
    }
  }
  return prettyJson(options.view === "typed" ? typed : tree) + "\n";
}

/**
 * A `/trust/sign` subject: `"<kind>:" + hex(sha256(serde_json(struct)))`, i.e. the hash of the
 * compact typed struct (Rust view, integrity included), after the artifact verifies.
 *
 * @example
 * ```ts
 * trustSubject("passport", fixtureText); // "passport:<64 hex>"
 * ```
 */
export function trustSubject(
  kind: "passport" | "history",
  input: string | Uint8Array | JsonValue,
): string {
  const tree = toTree(input);
  normalize(kind, tree); // verifies integrity first, as memoryOSS does
  return `${kind}:${sha256Hex(compactReceived(typedTree(kind, tree)))}`;
}

/**
 * A `/trust/sign` subject for a SyncPeerDescriptor `{peer_id, namespace, endpoint,
 * device_label}` (struct order, nulls kept since the fields are not optional there).
 *
 * @example
 * ```ts
 * syncPeerSubject({ peer_id: "p", namespace: "n", endpoint: "e", device_label: "d" });
 * ```
 */
export function syncPeerSubject(peer: {
  peer_id: string;
  namespace: string;
  endpoint: string;
  device_label: string | null;
}): string {
  const tree: JsonObject = new Map<string, JsonValue>([
    ["peer_id", peer.peer_id],
    ["namespace", peer.namespace],
    ["endpoint", peer.endpoint],
    ["device_label", peer.device_label],
  ]);
  return `sync_peer:${sha256Hex(compactReceived(tree))}`;
}
