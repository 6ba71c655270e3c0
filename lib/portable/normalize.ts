/**
 * `memoryoss conformance normalize`: parse into the typed struct, verify integrity, print the
 * struct pretty (two spaces, `": "`, struct order, unknown fields dropped, `?` fields omitted
 * when null/empty, f64 in Rust form) followed by one newline, matching the published fixtures.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { compactReceived, prettyJson, sha256Hex } from "./canonical.ts";
import { formatPath, type JsonObject, type JsonValue, parseJson } from "./json.ts";
import { type NormalizeKind, typedTree } from "./typed.ts";
import { verify } from "./verify.ts";

export type { NormalizeKind };

function toTree(input: string | Uint8Array | JsonValue): JsonValue {
  return typeof input === "string" || input instanceof Uint8Array ? parseJson(input) : input;
}

/**
 * What `memoryoss conformance normalize --kind <kind>` writes. Passport and history must pass
 * {@link verify} first (`MemoryossError("INTEGRITY")` otherwise, path of the first error).
 *
 * @example
 * ```ts
 * normalize("passport", fixtureText) === fixtureText; // true for the published fixture
 * ```
 */
export function normalize(kind: NormalizeKind, input: string | Uint8Array | JsonValue): string {
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
  return prettyJson(typed) + "\n";
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
