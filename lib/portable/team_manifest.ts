/**
 * memoryOSS's `setup --team-manifest PATH` (§8): a team manifest `{team_id, team_label,
 * catalog:{…}}` names the team (the team-node namespace) and carries the team's trust catalog.
 * Applying it imports the catalog into `<home>/trust.json` (as `trust catalog import` does)
 * and writes the bootstrap receipt `{team_id, team_label, catalog_id, manifest_path,
 * applied_at, profile, configured_clients}` to `<home>/team-bootstrap.json`.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { NamespaceSchema } from "../memory/mod.ts";
import { importCatalog, TrustCatalog } from "./trust_catalog.ts";
import { editTrustFile, TRUST_FILE } from "./trust_store.ts";

/** Where the receipt is kept, in the memoryoss home. */
export const TEAM_RECEIPT_FILE = "team-bootstrap.json";

/** A team manifest as memoryOSS spells it. */
export const TeamManifest = z.object({
  team_id: NamespaceSchema,
  team_label: z.string().default(""),
  catalog: TrustCatalog,
});
export type TeamManifest = z.infer<typeof TeamManifest>;

/** The bootstrap receipt (memoryOSS's fields). */
export interface TeamReceipt {
  team_id: string;
  team_label: string;
  catalog_id: string;
  manifest_path: string;
  applied_at: string;
  profile: string;
  configured_clients: string[];
}

/**
 * Read and check a team manifest (INVALID_INPUT naming the field, or a missing file).
 *
 * @example
 * ```ts
 * const m = await readTeamManifest("team.json"); // {team_id, team_label, catalog}
 * ```
 */
export async function readTeamManifest(path: string): Promise<TeamManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError("INVALID_INPUT", `--team-manifest ${path}: no such file`);
    }
    if (e instanceof SyntaxError) {
      throw new MemoryossError("INVALID_INPUT", `--team-manifest ${path}: not JSON (${e.message})`);
    }
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message}`);
  }
  const r = TeamManifest.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new MemoryossError(
      "INVALID_INPUT",
      `--team-manifest ${path}: ${i.path.join(".") || "(top)"}: ${i.message}`,
      i.path.map((p) => typeof p === "number" ? p : String(p)),
    );
  }
  return r.data;
}

/**
 * Import the manifest's catalog into `<home>/trust.json` and write the receipt (0600). With
 * `dryRun` nothing is written; the receipt is returned as it would be.
 */
export async function applyTeamManifest(o: {
  home: string;
  manifest: TeamManifest;
  manifestPath: string;
  profile: string;
  clients: string[];
  dryRun?: boolean;
  now?: Date;
}): Promise<TeamReceipt> {
  const now = o.now ?? new Date();
  const receipt: TeamReceipt = {
    team_id: o.manifest.team_id,
    team_label: o.manifest.team_label,
    catalog_id: o.manifest.catalog.catalog_id,
    manifest_path: resolve(o.manifestPath),
    applied_at: now.toISOString(),
    profile: o.profile,
    configured_clients: o.clients,
  };
  if (o.dryRun) return receipt;
  await Deno.mkdir(o.home, { recursive: true });
  await editTrustFile(
    join(o.home, TRUST_FILE),
    (f) => importCatalog(f, o.manifest.catalog, now).fabric,
  );
  const path = join(o.home, TEAM_RECEIPT_FILE);
  await Deno.writeTextFile(path, JSON.stringify(receipt, null, 2) + "\n", { mode: 0o600 });
  return receipt;
}
