/**
 * The setup manifest (`<memoryoss home>/setup/manifest-<hash of HOME>.json`, one per user
 * home): which files setup wrote, whether it created them (and the folders it made for them),
 * where the original is backed up and a hash of what it last wrote. Uninstall
 * restores the original byte for byte when the file is still exactly what setup wrote, and
 * otherwise removes only the managed pieces. doctor replays from it.
 */
import { join } from "node:path";
import { toHex } from "../crypto/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import type { ClientId, Launch } from "./clients.ts";

/** One file setup wrote. */
export interface ManifestFile {
  client: ClientId;
  /** Setup created it (uninstall deletes it when nothing of the user's is left). */
  created: boolean;
  /** Copy of the file before setup first changed it (null when setup created it). */
  backup: string | null;
  /** sha256 of the text setup last wrote. */
  sha256: string;
  /** Only setup has changed the file since the backup (so restoring it loses nothing). */
  pristine: boolean;
  /** Folders setup created for the file, deepest first (uninstall removes them when empty). */
  created_dirs?: string[];
}

/** What `setup` last did. */
export interface Manifest {
  version: 1;
  /** Profiles applied so far (latest last). */
  profiles: string[];
  clients: ClientId[];
  launch: Launch;
  home?: string;
  config?: string;
  namespace?: string;
  updated_at: string;
  /** The user's home folder the files belong to (one manifest per user home). */
  user_home?: string;
  files: Record<string, ManifestFile>;
}

/** The folder holding the manifest and backups. */
export function setupDir(memoryossHome: string): string {
  return join(memoryossHome, "setup");
}

/** Hex sha256 of `text`. */
export async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return toHex(d);
}

const LEGACY_MANIFEST = "manifest.json";

/**
 * The manifest file for one user home: setup run for two user homes (HOME) against one
 * memoryoss home keeps two manifests, so uninstall in either undoes only its own files.
 */
export async function manifestPath(memoryossHome: string, userHome: string): Promise<string> {
  return join(setupDir(memoryossHome), `manifest-${(await sha256(userHome)).slice(0, 16)}.json`);
}

/**
 * The manifest for `userHome`, or null when setup never ran for it against this home. A
 * manifest of an older version (one per memoryoss home) is taken when its files lie under
 * `userHome`.
 */
export async function readManifest(
  memoryossHome: string,
  userHome: string,
): Promise<Manifest | null> {
  return await readManifestFile(await manifestPath(memoryossHome, userHome)) ??
    await legacyManifest(memoryossHome, userHome);
}

/** The older one-per-memoryoss-home manifest, when all its files lie under `userHome`. */
async function legacyManifest(memoryossHome: string, userHome: string): Promise<Manifest | null> {
  const legacy = await readManifestFile(join(setupDir(memoryossHome), LEGACY_MANIFEST));
  if (!legacy) return null;
  const root = userHome.replace(/[\\/]+$/, "");
  const files = Object.keys(legacy.files);
  const under = (p: string) => p.startsWith(root + "/") || p.startsWith(root + "\\");
  return files.length > 0 && files.every(under) ? { ...legacy, user_home: userHome } : null;
}

async function readManifestFile(path: string): Promise<Manifest | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.version !== 1 || typeof m.files !== "object") throw new Error("unknown version");
    return m;
  } catch (e) {
    throw new MemoryossError(
      "INVALID_CONFIG",
      `${path}: not a setup manifest (${(e as Error).message}); remove it and run setup again`,
    );
  }
}

/** Write (or with `null`, remove) the manifest of `userHome` (and any older shared one). */
export async function writeManifest(
  memoryossHome: string,
  userHome: string,
  m: Manifest | null,
): Promise<void> {
  const dir = setupDir(memoryossHome);
  const path = await manifestPath(memoryossHome, userHome);
  // The older shared manifest is taken over by this user home's own file.
  if (await legacyManifest(memoryossHome, userHome)) {
    await Deno.remove(join(dir, LEGACY_MANIFEST)).catch(() => {});
  }
  if (m === null) {
    await Deno.remove(path).catch(() => {});
    return;
  }
  m = { ...m, user_home: userHome };
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(path, JSON.stringify(m, null, 2) + "\n", { mode: 0o600 });
}
