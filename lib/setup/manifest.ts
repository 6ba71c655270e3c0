/**
 * The setup manifest (`<memoryoss home>/setup/manifest.json`): which files setup wrote, whether
 * it created them, where the original is backed up and a hash of what it last wrote. Uninstall
 * restores the original byte for byte when the file is still exactly what setup wrote, and
 * otherwise removes only the managed pieces. doctor replays from it.
 */
import { join } from "node:path";
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
  files: Record<string, ManifestFile>;
}

/** The folder holding the manifest and backups. */
export function setupDir(memoryossHome: string): string {
  return join(memoryossHome, "setup");
}

/** Hex sha256 of `text`. */
export async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The manifest, or null when setup never ran against this home. */
export async function readManifest(memoryossHome: string): Promise<Manifest | null> {
  const path = join(setupDir(memoryossHome), "manifest.json");
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

/** Write (or with `null`, remove) the manifest. */
export async function writeManifest(memoryossHome: string, m: Manifest | null): Promise<void> {
  const dir = setupDir(memoryossHome);
  const path = join(dir, "manifest.json");
  if (m === null) {
    await Deno.remove(path).catch(() => {});
    return;
  }
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(path, JSON.stringify(m, null, 2) + "\n", { mode: 0o600 });
}
