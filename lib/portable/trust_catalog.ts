/**
 * The rest of memoryOSS's trust fabric verbs (§5.5) over our fabric: unpin, restore a revoked
 * identity, and trust catalogs (export this home's identities and revocations; import another
 * home's). Pure, like `trust_admin.ts`: each takes a fabric and returns a new one.
 *
 * A catalog is `{catalog_id, label, exported_at, identities[], revocations[]}`. Our identities
 * carry their Ed25519 public key, so an imported catalog really lets this home verify the
 * other's signatures (memoryOSS's HMAC catalogs cannot).
 *
 * @module
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { requireIdentity } from "./trust_admin.ts";
import { type TrustFabric, TrustIdentity, TrustRevocation } from "./trust.ts";

/** A trust catalog as exported and imported. */
export const TrustCatalog = z.object({
  catalog_id: z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, "letters, digits and _ . : @ -"),
  label: z.string().default(""),
  exported_at: z.string().default(""),
  identities: z.array(TrustIdentity).default([]),
  revocations: z.array(TrustRevocation).default([]),
});
export type TrustCatalog = z.infer<typeof TrustCatalog>;

/** What an import did (memoryOSS's record, plus the skipped count). */
export interface CatalogImport {
  catalog_id: string;
  label: string;
  imported_at: string;
  exported_at: string;
  identity_count: number;
  revocation_count: number;
  skipped_local_conflicts: number;
}

/**
 * Removes the pin of a known identity (a no-op when it has none).
 *
 * @example
 * ```ts
 * unpinIdentity(fabric, "device:laptop").pins;
 * ```
 */
export function unpinIdentity(fabric: TrustFabric, id: string): TrustFabric {
  requireIdentity(fabric, id);
  return { ...fabric, pins: fabric.pins.filter((p) => p.id !== id) };
}

/**
 * Lifts the revocation of an identity and clears its `rotated_to`. NOT_FOUND when the
 * identity is unknown, CONFLICT when it is not revoked.
 *
 * @example
 * ```ts
 * restoreIdentity(fabric, "device:laptop").revocations;
 * ```
 */
export function restoreIdentity(fabric: TrustFabric, id: string): TrustFabric {
  requireIdentity(fabric, id);
  if (!fabric.revocations.some((r) => r.id === id)) {
    throw new MemoryossError("CONFLICT", `identity '${id}' is not revoked`, ["id"]);
  }
  return {
    ...fabric,
    revocations: fabric.revocations.filter((r) => r.id !== id),
    identities: fabric.identities.map((i) => {
      if (i.id !== id) return i;
      const { rotated_to: _, ...rest } = i;
      return rest;
    }),
  };
}

/**
 * This home's catalog: its local identities and revocations (imported ones stay with their
 * own catalog).
 *
 * @example
 * ```ts
 * exportCatalog(fabric, { catalogId: "team-a", label: "Team A", now: new Date() });
 * ```
 */
export function exportCatalog(
  fabric: TrustFabric,
  o: { catalogId: string; label?: string; now: Date },
): TrustCatalog {
  const parsed = TrustCatalog.shape.catalog_id.safeParse(o.catalogId);
  if (!parsed.success) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `catalog_id: ${parsed.error.issues[0].message}`,
      ["catalog_id"],
    );
  }
  return {
    catalog_id: o.catalogId,
    label: o.label ?? o.catalogId,
    exported_at: o.now.toISOString(),
    identities: fabric.identities.filter((i) => i.source === "local"),
    revocations: fabric.revocations.filter((r) => r.source === "local"),
  };
}

/**
 * Imports a catalog as memoryOSS does: entries from an earlier import of the same catalog_id
 * are replaced; entries whose id is a local identity (or revocation) are skipped and counted.
 *
 * @example
 * ```ts
 * const { fabric: next, summary } = importCatalog(fabric, catalog, new Date());
 * summary.identity_count;
 * ```
 */
export function importCatalog(
  fabric: TrustFabric,
  raw: unknown,
  now: Date,
): { fabric: TrustFabric; summary: CatalogImport } {
  const r = TrustCatalog.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MemoryossError(
      "INVALID_INPUT",
      `catalog.${issue.path.join(".")}: ${issue.message}`,
      ["catalog", ...issue.path.map((p) => typeof p === "number" ? p : String(p))],
    );
  }
  const cat = r.data;
  const fromCat = (x: { source: string; source_catalog?: string | null }) =>
    x.source === "catalog" && x.source_catalog === cat.catalog_id;
  const identities = fabric.identities.filter((i) => !fromCat(i));
  const revocations = fabric.revocations.filter((x) => !fromCat(x));
  const localIds = new Set(identities.filter((i) => i.source === "local").map((i) => i.id));
  let skipped = 0;
  const tag = { source: "catalog" as const, source_catalog: cat.catalog_id };
  for (const i of cat.identities) {
    if (localIds.has(i.id) || identities.some((x) => x.id === i.id)) skipped++;
    else identities.push({ ...i, ...tag });
  }
  const localRevoked = new Set(revocations.map((x) => x.id));
  for (const x of cat.revocations) {
    if (localRevoked.has(x.id) && localIds.has(x.id)) skipped++;
    else if (!localRevoked.has(x.id)) revocations.push({ ...x, ...tag });
  }
  const summary: CatalogImport = {
    catalog_id: cat.catalog_id,
    label: cat.label,
    imported_at: now.toISOString(),
    exported_at: cat.exported_at,
    identity_count: identities.filter(fromCat).length,
    revocation_count: revocations.filter(fromCat).length,
    skipped_local_conflicts: skipped,
  };
  const catalogs = [
    ...fabric.catalogs.filter((c) => c.catalog_id !== cat.catalog_id),
    { ...summary },
  ];
  return { fabric: { ...fabric, identities, revocations, catalogs }, summary };
}
