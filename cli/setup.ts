/** CLI: setup (register memoryoss with Claude Code, Codex, Cursor) and uninstall. */
import { resolveHome } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  applyTeamManifest,
  readTeamManifest,
  TEAM_RECEIPT_FILE,
  type TeamManifest,
} from "../lib/portable/mod.ts";
import {
  type FileReport,
  type Profile,
  PROFILES,
  runSetup,
  runUninstall,
  type SetupReport,
} from "../lib/setup/mod.ts";
import { type CommandSpec, JSON_OPTION, parseCommand, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

const JSON_OUT = JSON_OPTION;
const DRY = { type: "boolean", description: "print the diff, change nothing" } as const;

const setupSpec: CommandSpec = {
  name: "setup",
  summary: "connect Claude Code, Codex or Cursor to memoryoss (MCP server, hooks, rules)",
  usage: [
    "setup --profile claude|codex|cursor|openclaw|auto|team-node [--team ID] [--dry-run] [--json]",
    "setup [--profile P] --team-manifest FILE [--dry-run] [--json]",
  ],
  options: {
    profile: {
      type: "string",
      short: "p",
      value: "P",
      description: "claude | codex | cursor | openclaw | auto (detected clients) | team-node",
    },
    team: {
      type: "string",
      value: "ID",
      description: "team-node: the team id, used as the shared namespace (default team)",
    },
    "team-manifest": {
      type: "string",
      value: "FILE",
      description:
        "memoryOSS team manifest {team_id, team_label, catalog}: import the catalog, write a receipt",
    },
    bin: {
      type: "string",
      value: "PATH",
      description: "command clients run (default: this memoryoss binary)",
    },
    "dry-run": DRY,
    json: JSON_OUT,
  },
  notes: [
    "Every edit is a managed block or entry that setup can find again: running setup twice",
    "changes nothing, your own content is kept, and each changed file is backed up under",
    "<home>/setup/backups. 'memoryoss uninstall' removes exactly what setup wrote.",
    "claude: ~/.claude.json (mcpServers.memoryoss) and hooks in ~/.claude/settings.json;",
    "codex: ~/.codex/config.toml [mcp_servers.memoryoss] and a block in ~/AGENTS.md;",
    "cursor: ~/.cursor/mcp.json and ~/.cursor/rules/memoryoss.mdc;",
    "openclaw: the skill ~/.openclaw/skills/memoryoss/SKILL.md.",
    "--team-manifest (profile team-node unless given): team_id is the team namespace, the",
    "catalog goes into <home>/trust.json (as 'trust catalog import'), and the receipt",
    `{team_id, team_label, catalog_id, manifest_path, applied_at, profile, configured_clients}`,
    `is written to <home>/${TEAM_RECEIPT_FILE}.`,
  ],
  examples: [
    "memoryoss setup --profile auto --dry-run",
    "memoryoss setup --profile claude",
    "memoryoss setup --profile team-node --team platform",
    "memoryoss setup --profile team-node --team-manifest team.json",
  ],
};

const uninstallSpec: CommandSpec = {
  name: "uninstall",
  summary: "remove what 'memoryoss setup' wrote to client configs (memories are kept)",
  usage: ["uninstall [--dry-run] [--json]"],
  options: { "dry-run": DRY, json: JSON_OUT },
  notes: [
    "A file still exactly as setup left it gets its original back byte for byte; a file you",
    "edited since keeps your edits and loses only the memoryoss pieces.",
  ],
};

const env = (k: string) => Deno.env.get(k);

function memoryossHome(): string {
  return resolveHome(env);
}

function tilde(path: string): string {
  const home = env("HOME") || env("USERPROFILE");
  return home && path.startsWith(home + "/") ? `~/${path.slice(home.length + 1)}` : path;
}

/** The per-file lines of a setup report (also install's). */
export function printFiles(r: SetupReport, files: FileReport[]): void {
  for (const f of files) {
    if (r.dry_run && f.diff) console.log(f.diff.trimEnd());
    const verb = r.dry_run && f.action !== "unchanged" && f.action !== "skipped"
      ? `would be ${f.action}`
      : f.action;
    const why = f.reason ? `: ${f.reason}` : "";
    console.log(`${verb.padEnd(9)} ${tilde(f.path)} (${f.client}: ${f.what.join(", ")})${why}`);
  }
  if (r.backup_dir) console.log(`backups in ${r.backup_dir}`);
}

/** `memoryoss setup`. */
export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(setupSpec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "setup takes no arguments");
  const manifestPath = strValue(p.values["team-manifest"]);
  const manifest = manifestPath ? await readTeamManifest(manifestPath) : undefined;
  const profile = strValue(p.values.profile) ?? (manifest ? "team-node" : undefined);
  if (!profile) {
    throw new MemoryossError("INVALID_INPUT", `setup needs --profile ${PROFILES.join("|")}`);
  }
  if (!(PROFILES as readonly string[]).includes(profile)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown profile '${profile}' (choose ${PROFILES.join(", ")})`,
    );
  }
  const bin = strValue(p.values.bin);
  const dryRun = Boolean(p.values["dry-run"]);
  const r = await runSetup({
    profile: profile as Profile,
    env,
    memoryossHome: memoryossHome(),
    config: g.config,
    team: teamOf(profile, strValue(p.values.team), manifest),
    dryRun,
    ...(bin ? { launch: { command: bin, args: [] } } : {}),
  });
  const team = manifest && await applyTeamManifest({
    home: memoryossHome(),
    manifest,
    manifestPath: manifestPath!,
    profile,
    clients: r.clients,
    dryRun,
  });
  if (team && p.values.json) {
    printJson({ ...r, team_bootstrap: team });
    return exitOf(r);
  }
  if (team) {
    const verb = dryRun ? "would import" : "imported";
    console.log(
      `team ${team.team_id}${team.team_label ? ` (${team.team_label})` : ""}: ${verb} trust ` +
        `catalog ${team.catalog_id}; receipt ${
          dryRun ? "not written (dry run)" : TEAM_RECEIPT_FILE
        }`,
    );
  }
  if (p.values.json) printJson(r);
  else {
    console.log(`memoryoss setup: profile ${r.profile} (${r.clients.join(", ")})`);
    printFiles(r, r.files);
    const changed = r.files.some((f) => f.action === "created" || f.action === "updated");
    if (!r.dry_run && changed) console.log("restart the client(s) to load memoryoss");
    if (!r.dry_run && !changed) console.log("already set up: nothing changed");
  }
  return exitOf(r);
}

/** 1 when a file was skipped (not ours to change), else 0. */
function exitOf(r: SetupReport): number {
  return r.files.some((f) => f.action === "skipped") ? 1 : 0;
}

/** team-node's team: `--team`, else the manifest's `team_id` (they must agree). */
function teamOf(profile: string, flag: string | undefined, m: TeamManifest | undefined) {
  if (!m || profile !== "team-node") return flag;
  if (flag && flag !== m.team_id) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--team ${flag} differs from the manifest's team_id '${m.team_id}'`,
    );
  }
  return m.team_id;
}

/** `memoryoss uninstall`. */
export async function uninstall(args: string[], _g: Globals): Promise<number> {
  const p = parseCommand(uninstallSpec, args);
  if (!p) return 0;
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", "uninstall takes no arguments");
  }
  const r = await runUninstall({
    env,
    memoryossHome: memoryossHome(),
    dryRun: Boolean(p.values["dry-run"]),
  });
  if (p.values.json) printJson(r);
  else if (r.files.length === 0) console.log("nothing to uninstall (setup has not run here)");
  else printFiles(r, r.files);
  return r.files.some((f) => f.action === "skipped") ? 1 : 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  setup: main,
  uninstall,
};
