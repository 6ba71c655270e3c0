/**
 * CLI: backup and restore of the whole home (database snapshot, config, trust fabric;
 * keys only with --include-key). `main` is `memoryoss backup`, `restoreMain` is
 * `memoryoss restore`.
 */
import { join } from "node:path";
import {
  createBackup,
  encryptedRowCount,
  restoreBackup,
  verifyArchive,
} from "../lib/backup/mod.ts";
import { loadConfig, resolveHome } from "../lib/config/mod.ts";
import { DEVICE_KEY_FILE } from "../lib/portable/mod.ts";
import { keyringPathFor, vaultRingIsWrapped } from "../lib/crypto/mod.ts";
import { VERSION } from "../lib/version.ts";
import { type CommandSpec, parseCommand, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { flag, invalid, JSON_OUT, str } from "./_portable.ts";

const backupSpec: CommandSpec = {
  name: "backup",
  summary: "write the home to one .tar.zst (consistent database snapshot + manifest)",
  usage: ["backup [-o FILE] [--include-key] [--json]"],
  options: {
    output: str(
      "archive path (default memoryoss-backup-YYYYmmdd-HHMMSS.tar.zst; a .tar.gz name: gzip)",
      "FILE",
      "o",
    ),
    "include-key": flag("also archive memoryoss.key and the bundle signing key"),
    ...JSON_OUT,
  },
  notes: [
    [
      "Safe while serve, MCP servers or other commands write: the database is copied in one read",
      "transaction. The archive (mode 0600) holds the home under data/, memoryOSS's",
      "backup-meta.json {version, created_at, data_dir, key_included} and backup-manifest.json",
      "with each file's size and SHA-256. Restore with 'memoryoss restore FILE'.",
      "zstd (level 3) as memoryOSS writes it; -o NAME.tar.gz writes gzip; restore reads both.",
    ].join("\n"),
  ],
  examples: ["memoryoss backup", "memoryoss backup -o backup.tar.zst --include-key"],
};

function defaultName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `memoryoss-backup-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-` +
    `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.tar.zst`;
}

/** `memoryoss backup`. */
export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(backupSpec, args);
  if (!p) return 0;
  if (p.positionals.length) throw invalid(`backup: unexpected argument '${p.positionals[0]}'`);
  const loaded = await loadConfig({ configPath: g.config, init: false });
  const now = new Date();
  const output = strValue(p.values.output) ?? defaultName(now);
  const m = await createBackup({
    home: loaded.home,
    dbPath: loaded.dbPath,
    // A Vault home's keyring holds its keys only wrapped (like memoryoss.key.vault): archived.
    keyFiles: [
      loaded.keyPath,
      ...(vaultRingIsWrapped(loaded.keyPath) ? [] : [keyringPathFor(loaded.keyPath)]),
      join(loaded.home, DEVICE_KEY_FILE),
    ],
    includeKey: p.values["include-key"] === true,
    output,
    now,
    version: VERSION,
    busyTimeoutMs: loaded.config.storage.busy_timeout_ms,
  });
  const encrypted = m.key_included ? 0 : encryptedRowCount(loaded.dbPath);
  if (encrypted > 0) {
    console.error(
      `memoryoss: warning: ${encrypted} memories are encrypted and this backup has no key: ` +
        `keep ${loaded.keyPath} (and memoryoss.keyring) safe, or back up with --include-key`,
    );
  }
  const summary = {
    file: output,
    files: m.files.length,
    bytes: (await Deno.stat(output)).size,
    memory_count: m.memory_count,
    key_included: m.key_included,
    created_at: m.created_at,
  };
  if (p.values.json) printJson(summary);
  else {
    console.log(
      `wrote ${output}: ${summary.files} files, ${m.memory_count ?? 0} memories, ` +
        `${(summary.bytes / 1024).toFixed(1)} KiB${m.key_included ? ", key included" : ", no key"}`,
    );
  }
  return 0;
}

const restoreSpec: CommandSpec = {
  name: "restore",
  summary: "restore a backup into the home (verified before anything is written)",
  usage: ["restore FILE [--force] [--home DIR] [--check] [--json]"],
  options: {
    force: flag("restore into a home that is not empty (archived files replace existing ones)"),
    home: str("restore here instead of the memoryoss home", "DIR"),
    check: flag("only verify the archive; write nothing"),
    ...JSON_OUT,
  },
  notes: [
    [
      "Every file is checked against the manifest first; a damaged or altered archive, or a",
      "file that is not a backup, changes nothing (exit 3). An archive memoryOSS wrote (data/",
      "plus backup-meta.json, no manifest) is accepted: its paths are checked first, and the",
      "files written are checked against that first read. A home that is not empty is refused",
      "(exit 5) unless --force. Stop servers using the home before restoring over it. A backup",
      "made without --include-key restores without a key: encrypted memories stay unreadable,",
      "and no command creates a new key over them, until the original memoryoss.key (and",
      "memoryoss.keyring) is put back into the home.",
    ].join("\n"),
  ],
  examples: ["MEMORYOSS_HOME=/tmp/fresh memoryoss restore backup.tar.zst"],
};

/** `memoryoss restore`. */
export async function restoreMain(args: string[], _g: Globals): Promise<number> {
  const p = parseCommand(restoreSpec, args);
  if (!p) return 0;
  if (p.positionals.length !== 1) throw invalid("restore takes exactly one archive path");
  const archive = p.positionals[0];
  if (p.values.check) {
    const v = await verifyArchive(archive);
    const m = v.manifest;
    if (p.values.json) printJson({ ok: true, origin: v.origin, meta: v.meta, manifest: m });
    else {
      console.log(
        `${archive}: ok, ${m.files.length} files, created ${m.created_at}` +
          (v.origin === "memoryOSS" ? ` (memoryOSS ${m.memoryoss_version}, no manifest)` : ""),
      );
    }
    return 0;
  }
  const home = strValue(p.values.home) ?? resolveHome((k) => Deno.env.get(k));
  const r = await restoreBackup({ archive, home, force: p.values.force === true });
  if (p.values.json) printJson(r);
  else {
    console.log(
      `restored ${r.files} files (${
        r.memory_count ?? 0
      } memories, backup of ${r.created_at}) into ${r.home}` +
        (r.key_included ? "" : "; the key was not in the backup"),
    );
    if (r.origin === "memoryOSS" && r.meta) {
      console.log(
        `memoryOSS backup: version ${r.meta.version}, created ${r.meta.created_at}, ` +
          `from ${r.meta.data_dir} (no manifest: checked against its own first read)`,
      );
    }
  }
  if (r.missing_kid && r.vault) {
    console.error(
      `memoryoss: warning: ${r.encrypted_count} restored memories are encrypted with key ` +
        `${r.missing_kid}, which neither memoryoss.key.vault nor memoryoss.keyring in ${r.home} ` +
        "names: put the original home's memoryoss.keyring (its keys are Vault-wrapped) there; " +
        "until then reads and writes are refused",
    );
  } else if (r.missing_kid) {
    console.error(
      `memoryoss: warning: ${r.encrypted_count} restored memories are encrypted with key ` +
        `${r.missing_kid}, which ${r.home} does not hold: put the original memoryoss.key (and ` +
        "memoryoss.keyring) there; until then reads and writes are refused",
    );
  } else if (r.vault && r.encrypted_count > 0) {
    console.error(
      `memoryoss: note: ${r.home} keeps its key wrapped by Vault (memoryoss.key.vault): its ` +
        `${r.encrypted_count} encrypted memories open with [encryption] provider = "vault" ` +
        "and access to the same Transit key",
    );
  }
  return 0;
}
