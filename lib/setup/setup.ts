/**
 * setup / uninstall / replay: choose clients for a profile, plan the managed pieces, show or
 * write them, and keep the manifest that uninstall and doctor work from.
 */
import { resolve } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import type { EnvGet } from "../config/mod.ts";
import { NamespaceSchema } from "../memory/mod.ts";
import {
  type ClientId,
  clientPaths,
  CLIENTS,
  defaultLaunch,
  detectClients,
  type Launch,
} from "./clients.ts";
import { planPieces, type SetupSpec } from "./plan.ts";
import {
  type FileChange,
  type FilePlan,
  planApply,
  planRemove,
  removeEmptyDirs,
  writeChanges,
} from "./apply.ts";
import { type Manifest, readManifest, sha256, writeManifest } from "./manifest.ts";
import { unifiedDiff } from "./diff.ts";

export const PROFILES = ["claude", "codex", "cursor", "openclaw", "auto", "team-node"] as const;
export type Profile = typeof PROFILES[number];

/** Options for {@link runSetup}. */
export interface SetupOptions {
  profile: Profile;
  env: EnvGet;
  /** The memoryoss home (manifest and backups live in `<home>/setup`). */
  memoryossHome: string;
  launch?: Launch;
  /** `-c FILE` to pass on to the MCP server and hooks. */
  config?: string;
  /** team-node: the team id, used as the shared namespace (default "team"). */
  team?: string;
  dryRun?: boolean;
  now?: Date;
}

/** One file in a report. */
export interface FileReport {
  path: string;
  client: ClientId;
  action: "created" | "updated" | "unchanged" | "skipped" | "deleted" | "restored";
  what: string[];
  reason?: string;
  /** Unified diff (dry runs). */
  diff?: string;
}

/** What setup or uninstall did (or, with dry_run, would do). */
export interface SetupReport {
  profile: string;
  clients: ClientId[];
  dry_run: boolean;
  files: FileReport[];
  backup_dir: string | null;
}

/** Clients for a profile: the named one, or the detected ones for auto/team-node. */
export async function clientsFor(profile: Profile, env: EnvGet): Promise<ClientId[]> {
  if ((CLIENTS as readonly string[]).includes(profile)) return [profile as ClientId];
  const found = await detectClients(clientPaths(env), env);
  if (found.length === 0) {
    throw new MemoryossError(
      "NOT_FOUND",
      "no supported client found (looked for Claude Code, Codex, Cursor and OpenClaw config " +
        "folders and commands); choose one with --profile claude|codex|cursor|openclaw",
    );
  }
  return found;
}

function report(plan: FilePlan, dryRun: boolean, home: string): FileReport[] {
  const rel = (p: string) => (p.startsWith(home + "/") ? `~/${p.slice(home.length + 1)}` : p);
  const changed = plan.changes.map((c): FileReport => ({
    path: c.path,
    client: c.client,
    what: c.what,
    action: c.after === null
      ? "deleted"
      : c.how === "restored"
      ? "restored"
      : c.before === null
      ? "created"
      : "updated",
    ...(dryRun ? { diff: unifiedDiff(rel(c.path), c.before, c.after) } : {}),
  }));
  return [
    ...changed,
    ...plan.unchanged.map((u): FileReport => ({ ...u, action: "unchanged" })),
    ...plan.skipped.map((s): FileReport => ({ ...s, action: "skipped" })),
  ];
}

async function recordWrites(
  manifest: Manifest,
  c: FileChange,
  backupPath: string | null,
  createdDirs: string[],
): Promise<void> {
  const prev = manifest.files[c.path];
  const untouched = prev !== undefined && c.before !== null &&
    await sha256(c.before) === prev.sha256;
  manifest.files[c.path] = {
    client: c.client,
    created: prev ? prev.created : c.before === null,
    backup: prev ? prev.backup : backupPath,
    sha256: await sha256(c.after ?? ""),
    pristine: prev ? prev.pristine && untouched : true,
  };
  const dirs = prev ? prev.created_dirs ?? [] : createdDirs;
  if (dirs.length) manifest.files[c.path].created_dirs = dirs;
}

async function applySpec(
  spec: SetupSpec,
  profile: string,
  opts: Pick<SetupOptions, "env" | "memoryossHome" | "dryRun" | "now">,
): Promise<SetupReport> {
  const paths = clientPaths(opts.env);
  const plan = await planApply(planPieces(spec, paths));
  const out: SetupReport = {
    profile,
    clients: spec.clients,
    dry_run: Boolean(opts.dryRun),
    files: report(plan, Boolean(opts.dryRun), paths.home),
    backup_dir: null,
  };
  if (opts.dryRun || plan.changes.length === 0) return out;
  const prev = await readManifest(opts.memoryossHome, paths.home);
  const manifest: Manifest = {
    version: 1,
    profiles: [...new Set([...(prev?.profiles ?? []), profile])],
    clients: CLIENTS.filter((c) => spec.clients.includes(c) || prev?.clients.includes(c)),
    launch: spec.launch,
    ...(spec.home ? { home: spec.home } : {}),
    ...(spec.config ? { config: spec.config } : {}),
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
    updated_at: (opts.now ?? new Date()).toISOString(),
    files: { ...prev?.files },
  };
  try {
    out.backup_dir = await writeChanges(
      plan.changes,
      opts.memoryossHome,
      opts.now ?? new Date(),
      (c, saved, dirs) => recordWrites(manifest, c, saved, dirs),
    );
  } finally {
    // Even a half-finished run must be undoable.
    await writeManifest(opts.memoryossHome, paths.home, manifest);
  }
  return out;
}

/**
 * Set up the clients of a profile.
 *
 * @example
 * ```ts
 * await runSetup({ profile: "cursor", env, memoryossHome, dryRun: true });
 * ```
 */
export async function runSetup(opts: SetupOptions): Promise<SetupReport> {
  const clients = await clientsFor(opts.profile, opts.env);
  let namespace: string | undefined;
  if (opts.profile === "team-node") {
    namespace = opts.team ?? "team";
    const ok = NamespaceSchema.safeParse(namespace);
    if (!ok.success) {
      throw new MemoryossError("INVALID_INPUT", `--team: ${ok.error.issues[0].message}`);
    }
  } else if (opts.team) {
    throw new MemoryossError("INVALID_INPUT", "--team only applies to --profile team-node");
  }
  const explicitHome = opts.env("MEMORYOSS_HOME");
  const spec: SetupSpec = {
    clients,
    launch: opts.launch ?? defaultLaunch(),
    ...(explicitHome ? { home: resolve(explicitHome) } : {}),
    ...(opts.config ? { config: resolve(opts.config) } : {}),
    ...(namespace ? { namespace } : {}),
  };
  return await applySpec(spec, opts.profile, opts);
}

/** The spec setup last applied, from the manifest. */
export function manifestSpec(m: Manifest): SetupSpec {
  return {
    clients: m.clients,
    launch: m.launch,
    ...(m.home ? { home: m.home } : {}),
    ...(m.config ? { config: m.config } : {}),
    ...(m.namespace ? { namespace: m.namespace } : {}),
  };
}

/**
 * Re-apply what the manifest records (doctor's drift check with `dryRun`, its repair
 * without; `launch` re-points the clients, e.g. after the binary moved). Null when setup
 * never ran.
 */
export async function replaySetup(
  opts: Pick<SetupOptions, "env" | "memoryossHome" | "dryRun" | "now" | "launch">,
): Promise<SetupReport | null> {
  const m = await readManifest(opts.memoryossHome, clientPaths(opts.env).home);
  if (!m) return null;
  const spec = { ...manifestSpec(m), ...(opts.launch ? { launch: opts.launch } : {}) };
  return await applySpec(spec, m.profiles.at(-1) ?? "replay", opts);
}

/**
 * Remove everything setup wrote, restoring originals where the file is untouched since.
 *
 * @example
 * ```ts
 * await runUninstall({ env, memoryossHome, dryRun: true });
 * ```
 */
export async function runUninstall(
  opts: Pick<SetupOptions, "env" | "memoryossHome" | "dryRun" | "now">,
): Promise<SetupReport> {
  const paths = clientPaths(opts.env);
  const m = await readManifest(opts.memoryossHome, paths.home);
  const empty = { profile: "uninstall", clients: [], dry_run: Boolean(opts.dryRun) };
  if (!m) return { ...empty, files: [], backup_dir: null };
  const pieces = planPieces({ ...manifestSpec(m), clients: [...CLIENTS] }, paths);
  const plan = await planRemove(m, pieces);
  const out: SetupReport = {
    ...empty,
    clients: m.clients,
    files: report(plan, Boolean(opts.dryRun), paths.home),
    backup_dir: null,
  };
  if (opts.dryRun) return out;
  out.backup_dir = await writeChanges(plan.changes, opts.memoryossHome, opts.now ?? new Date());
  await removeEmptyDirs(
    plan.changes.filter((c) => c.after === null).flatMap((c) =>
      m.files[c.path]?.created_dirs ?? []
    ),
  );
  // Keep the manifest only for files we could not clean (so a later run can retry).
  const left = Object.fromEntries(
    Object.entries(m.files).filter(([p]) => plan.skipped.some((s) => s.path === p)),
  );
  await writeManifest(
    opts.memoryossHome,
    paths.home,
    Object.keys(left).length ? { ...m, files: left } : null,
  );
  return out;
}
