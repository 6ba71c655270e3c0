/**
 * Passport export and import against an open runtime (`memoryoss passport`, the adapters).
 * The runtime is passed in; planning and record merging are the pure functions of
 * `import_plan.ts` and `import_apply.ts`.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import {
  conflicts,
  contractExportMetadata,
  DEFAULT_NAMESPACE,
  idInUse,
  namespaceRecords,
  NamespaceSchema,
  parseInput,
  recordActivity,
  type Runtime,
  signature,
  structuralDuplicates,
  writeRecords,
} from "../memory/mod.ts";
import { STOPWORDS } from "../recall/mod.ts";
import { type MemoryRecord, uuidv7 } from "../store/mod.ts";
import { formatPath, isJsonObject, type JsonObject, type JsonValue } from "./json.ts";
import { type ImportPreview, planImport } from "./import_plan.ts";
import { mergeRecord, remapLineage } from "./import_apply.ts";
import { buildPassport, type PassportScope, readPassport, recordFromEntry } from "./passport.ts";
import { detectKind, verify } from "./verify.ts";
import { type Admission, admission, requireAdmission } from "./admission.ts";
import { decideTrust, emptyFabric, type TrustDecision } from "./trust.ts";
import { homeTrust } from "./trust_store.ts";

/**
 * Blocking keys for the import plan: the contradiction signature's core tokens (so every
 * pair `conflicts` accepts shares one) and the words that are not stopwords (which every
 * structural duplicate shares unless it differs only in stopwords around cut words).
 */
export function planKeys(content: string): Set<string> {
  const keys = new Set(signature(content)?.core ?? []);
  for (const t of content.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (!STOPWORDS.has(t)) keys.add(t);
  }
  return keys;
}

/** The write path's own text rules, with blocking so large imports stay fast. */
const IMPORT_RULES = { duplicate: structuralDuplicates, conflicts, keys: planKeys };

/**
 * The passport of a namespace (`passport export`).
 *
 * @example
 * ```ts
 * const tree = exportPassport(rt, { namespace: "proj", scope: "project" });
 * ```
 */
export function exportPassport(
  rt: Runtime,
  o: { namespace?: string; scope?: PassportScope },
): JsonObject {
  const namespace = parseInput(NamespaceSchema, o.namespace ?? DEFAULT_NAMESPACE);
  const now = rt.now();
  return buildPassport(namespaceRecords(rt, namespace, false).map((m) => m.record), {
    namespace,
    scope: o.scope ?? "project",
    passportId: uuidv7(now.getTime()),
    exportedAt: now,
    contract: contractExportMetadata(),
  });
}

/** `passport import` output (memoryOSS shape plus `merged_ids` and `renamed_ids`). */
export interface PassportImportResult {
  dry_run: boolean;
  imported: boolean;
  preview: ImportPreview;
  imported_ids: string[];
  merged_ids: string[];
  /** Incoming id → id used here, for ids already taken by another namespace of this home. */
  renamed_ids: Record<string, string>;
  /** The signature decision ({@link importPassportChecked}; absent for a local import). */
  trust?: TrustDecision;
  /** The verdict the import went ahead under ({@link importPassportChecked}). */
  verdict?: Admission["verdict"];
}

/** How a received artifact is admitted ({@link admitReceived}). */
export interface AdmitOptions {
  dryRun?: boolean;
  /** Let an intact but untrusted artifact (unsigned, HMAC, unknown key) be written. */
  allowUntrusted?: boolean;
  /** The caller's spelling of that option, named in the refusal (`--allow-untrusted`). */
  flag?: string;
  /** memoryOSS's shared HMAC secret, to check HMAC signatures. */
  hmacSecret?: string;
}

/**
 * The signature decision about a received artifact against `rt`'s home (its `trust.json` and
 * own key) through {@link admission}, throwing as {@link requireAdmission} does. Integrity is
 * the caller's ({@link verifiedPayload}) and is checked before.
 *
 * @example
 * ```ts
 * const { trust } = await admitReceived(rt, tree, { allowUntrusted: false });
 * ```
 */
export async function admitReceived(
  rt: Runtime,
  input: JsonValue,
  o: AdmitOptions,
): Promise<{ trust: TrustDecision; admission: Admission }> {
  const kind = detectKind(input) ?? "unknown";
  // only an envelope has a signature to check: a bare artifact needs no catalog
  const home = kind === "bundle"
    ? await homeTrust(rt.loaded.home, o.hmacSecret)
    : { fabric: emptyFabric(), keys: {} };
  const trust = await decideTrust(input, home.fabric, home.keys);
  const a = admission({ kind, ok: true, errors: [], trust });
  requireAdmission(a, {
    dryRun: o.dryRun ?? false,
    allowUntrusted: o.allowUntrusted ?? false,
    flag: o.flag ?? "--allow-untrusted",
  });
  return { trust, admission: a };
}

/**
 * A received passport (a file, an HTTP body): integrity, then {@link admitReceived} (a
 * signature that does not verify or a revoked key is refused even for a dry run; an untrusted
 * artifact is written only with `allowUntrusted`), then {@link importPassport}.
 *
 * @example
 * ```ts
 * const r = await importPassportChecked(rt, tree, { dryRun: true });
 * r.trust?.status; // "unsigned"
 * ```
 */
export async function importPassportChecked(
  rt: Runtime,
  input: JsonValue,
  o: AdmitOptions & { namespace?: string },
): Promise<PassportImportResult> {
  const tree = verifiedPayload(input, "passport");
  const { trust, admission: a } = await admitReceived(rt, input, o);
  const r = await importPayload(rt, tree, o);
  return { ...r, trust, verdict: a.verdict };
}

/**
 * The verified passport inside `input` (a passport, or a bundle envelope carrying one).
 * Throws INTEGRITY naming the first failing field, even for a dry run.
 *
 * @example
 * ```ts
 * const passport = verifiedPayload(parseJson(text), "passport");
 * ```
 */
export function verifiedPayload(input: JsonValue, kind: "passport" | "history"): JsonObject {
  const v = verify(input);
  if (!v.ok) {
    const first = v.errors[0];
    throw new MemoryossError(
      "INTEGRITY",
      `${v.kind === "unknown" ? "artifact" : v.kind} failed verification at ` +
        `${formatPath(first.path)}: ${first.message}`,
      first.path,
    );
  }
  const tree = v.kind === "bundle" && isJsonObject(input) ? input.get("payload")! : input;
  const got = detectKind(tree);
  if (got !== kind || !isJsonObject(tree)) {
    throw new MemoryossError("INVALID_INPUT", `expected a ${kind}, got a ${got ?? "unknown file"}`);
  }
  return tree;
}

/**
 * Plans (and unless `dryRun`, applies) a passport import into `namespace` (default: the
 * passport's). Creates keep id, status, version, timestamps and lineage; conflicts are
 * imported as `contested` and linked both ways; merges fold into the stored memory. Checks
 * integrity, not signatures: for passports this home built itself (adapters); a received file
 * goes through {@link importPassportChecked}.
 *
 * @example
 * ```ts
 * const r = await importPassport(rt, parseJson(text), { namespace: "other", dryRun: true });
 * r.preview.create_count;
 * ```
 */
export async function importPassport(
  rt: Runtime,
  input: JsonValue,
  o: { namespace?: string; dryRun?: boolean },
): Promise<PassportImportResult> {
  return await importPayload(rt, verifiedPayload(input, "passport"), o);
}

/** {@link importPassport} of a passport tree that already verified. */
async function importPayload(
  rt: Runtime,
  tree: JsonObject,
  o: { namespace?: string; dryRun?: boolean },
): Promise<PassportImportResult> {
  const { passport, extras } = readPassport(tree);
  const target = parseInput(NamespaceSchema, o.namespace ?? passport.namespace);
  const incoming = passport.memories.map((e) =>
    recordFromEntry(e, target, extras.get(e.id) ?? extras.get(e.id.toLowerCase()))
  );
  const stored = namespaceRecords(rt, target).map((m) => m.record);
  const preview = planImport(incoming, stored, {
    targetNamespace: target,
    scope: passport.scope,
    integrityValid: true,
    rules: IMPORT_RULES,
  });
  const result: PassportImportResult = {
    dry_run: o.dryRun ?? false,
    imported: false,
    preview,
    imported_ids: [],
    merged_ids: [],
    renamed_ids: {},
  };
  if (o.dryRun) return result;
  await applyPlan(rt, incoming, stored, preview, result);
  recordActivity(rt, {
    namespace: target,
    kind: "passport_import",
    detail: {
      passport_id: passport.passport_id,
      created: preview.create_count,
      merged: preview.merge_count,
      conflicts: preview.conflict_count,
    },
  });
  return result;
}

async function applyPlan(
  rt: Runtime,
  incoming: MemoryRecord[],
  stored: MemoryRecord[],
  preview: ImportPreview,
  result: PassportImportResult,
): Promise<void> {
  const now = rt.now().toISOString();
  const ids = new Map<string, string>();
  const fresh = new Set<string>();
  preview.items.forEach((item, i) => {
    if (item.decision === "merge") {
      // the target may be an earlier entry of this passport, already given its final id
      ids.set(item.incoming_id, ids.get(item.existing_id!) ?? item.existing_id!);
    } else {
      let id = item.incoming_id;
      // ids are unique store-wide: a copy into a second namespace of this home needs new ones
      while (idInUse(rt, id) || fresh.has(id)) {
        id = uuidv7(Date.parse(incoming[i].created_at));
      }
      fresh.add(id);
      ids.set(item.incoming_id, id);
      if (id !== item.incoming_id) result.renamed_ids[item.incoming_id] = id;
    }
  });
  const current = new Map(stored.map((r) => [r.id, r]));
  const changed = new Set<string>();
  const inserts: MemoryRecord[] = [];
  preview.items.forEach((item, i) => {
    const r = remapLineage(incoming[i], ids);
    if (item.decision === "merge") {
      const target = current.get(ids.get(item.incoming_id)!)!;
      const next = mergeRecord(target, r, { now });
      if (next) {
        current.set(target.id, next);
        changed.add(target.id);
      }
      result.merged_ids.push(target.id);
      return;
    }
    if (item.decision === "conflict") {
      const others = (item.conflicting_ids ?? []).map((x) => ids.get(x) ?? x);
      r.status = "contested";
      r.contradicts_with = [...new Set([...r.contradicts_with, ...others])].sort();
      for (const other of others) {
        const s = current.get(other);
        if (s && !s.contradicts_with.includes(r.id)) {
          current.set(other, {
            ...s,
            status: "contested",
            superseded_by: null,
            contradicts_with: [...s.contradicts_with, r.id].sort(),
            version: s.version + 1,
            updated_at: now,
          });
          changed.add(other);
        }
      }
    }
    inserts.push(r);
    current.set(r.id, r);
    result.imported_ids.push(r.id);
  });
  const insertIds = new Set(inserts.map((r) => r.id));
  await writeRecords(rt, {
    insert: inserts.map((r) => current.get(r.id)!),
    update: [...changed].filter((id) => !insertIds.has(id)).map((id) => current.get(id)!),
  });
  result.imported = true;
}
