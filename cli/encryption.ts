/**
 * CLI: `memoryoss encryption status|rotate|encrypt-existing|decrypt-all|reindex` — encryption
 * at rest (docs/encryption.md).
 */
import {
  decryptAll,
  encryptExisting,
  encryptionStatus,
  type OnProgress,
  rotateKeys,
} from "../lib/store/mod.ts";
import type { Runtime } from "../lib/memory/mod.ts";
import { prepareVaultRingKey, vaultSettingsOf } from "../lib/crypto/mod.ts";
import { intValue } from "./_args.ts";
import { type Globals, printJson, progress } from "./_io.ts";
import {
  flag,
  invalid,
  JSON_OUT,
  runGroup,
  str,
  type Sub,
  withExportRuntime,
} from "./_portable.ts";

const BATCH = {
  batch: str("rows per transaction (default 200)", "N"),
  "throttle-ms": str("pause between batches, to leave a busy server room (default 0)", "MS"),
};

/** Progress on a terminal as a bar, otherwise one line per batch on stderr. */
function reporter(label: string, json: boolean): OnProgress {
  let tty = false;
  try {
    tty = Deno.stderr.isTerminal();
  } catch { /* no stderr */ }
  if (tty) return progress(label);
  if (json) return () => {};
  return (done, total) => console.error(`${label}: ${done}/${total}`);
}

function passOptions(p: { values: Record<string, unknown> }, label: string) {
  return {
    batch: intValue(p.values.batch, "batch", 1),
    throttleMs: intValue(p.values["throttle-ms"], "throttle-ms", 0),
    onProgress: reporter(label, Boolean(p.values.json)),
  };
}

const run = <T>(g: Globals, fn: (rt: Runtime) => Promise<T> | T) => withExportRuntime(g, fn);

const SUBS: Record<string, Sub> = {
  status: {
    summary: "keys, and encrypted/plain rows per namespace",
    usage: "status [--json]",
    options: { ...JSON_OUT },
    positionals: 0,
    run: (p, g) =>
      run(g, (rt) => {
        const s = encryptionStatus(rt.store);
        const fts = rt.store.ftsHealth();
        if (p.values.json) {
          printJson({ ...s, fts_consistent: fts.consistent });
          return 0;
        }
        console.log(`encryption ${s.enabled ? "on" : "off"}, index ${s.index}`);
        console.log(`key file  ${s.key_file ?? "-"}`);
        for (const k of s.keys) {
          console.log(
            `key ${k.kid}  ${k.state.padEnd(8)}  ${k.rows} rows` +
              (k.in_key_file ? "  (memoryoss.key)" : ""),
          );
        }
        for (const n of s.namespaces) {
          console.log(`${n.namespace}: ${n.encrypted} encrypted, ${n.plain} plain`);
        }
        if (s.rotation_pending) {
          console.log("a rotation is unfinished: run 'memoryoss encryption rotate' to finish it");
        }
        if (s.enabled && s.totals.plain > 0) {
          console.log(
            `${s.totals.plain} rows are plain: 'memoryoss encryption encrypt-existing' seals them`,
          );
        }
        if (!fts.consistent) {
          console.log("the search index is out of step: run 'memoryoss doctor --repair'");
        }
        return 0;
      }),
  },
  rotate: {
    summary: "new active key; re-wrap every encrypted row; retire the old key",
    usage: "rotate [--dry-run] [--batch N] [--throttle-ms MS] [--json]",
    options: { "dry-run": flag("report what would change; write nothing"), ...BATCH, ...JSON_OUT },
    notes: [
      "Safe to interrupt: old and new keys both stay in memoryoss.keyring until no row uses",
      "the old one. Run 'rotate' again after a crash and it finishes the interrupted rotation",
      "(no new key). Back up memoryoss.key and memoryoss.keyring afterwards (--include-key).",
      'With [encryption] provider = "vault" the new key is wrapped by Vault Transit before it',
      "is stored: memoryoss.keyring then holds it only wrapped (vault:v1:…), like",
      "memoryoss.key.vault, and keys rotated in plaintext earlier are wrapped on the next start.",
    ],
    positionals: 0,
    run: (p, g) =>
      run(g, async (rt) => {
        const e = rt.config.encryption;
        if (e.provider === "vault" && p.values["dry-run"] !== true) {
          // Wrapped before the keyring sees it: its plaintext never reaches the disk.
          await prepareVaultRingKey(rt.loaded.keyPath, vaultSettingsOf(e, (k) => Deno.env.get(k)));
        }
        const r = await rotateKeys(rt.store, {
          dryRun: p.values["dry-run"] === true,
          ...passOptions(p, "rotate"),
        });
        if (p.values.json) printJson(r);
        else if (r.dry_run) {
          console.log(
            `would ${r.resumed ? "finish the interrupted rotation to" : "create a new key and"} ` +
              `re-wrap ${r.rewrapped} rows (from ${r.previous_kids.join(", ")})`,
          );
        } else {
          console.log(
            `${
              r.resumed ? "finished the interrupted rotation: " : ""
            }active key ${r.active_kid}, ` +
              `${r.rewrapped} rows re-wrapped, retired ${r.retired.join(", ") || "none"}` +
              (r.kept.length
                ? `; kept ${r.kept.map((k) => `${k.kid} (${k.rows} rows)`).join(", ")}`
                : ""),
          );
        }
        return r.kept.length ? 1 : 0;
      }),
  },
  "encrypt-existing": {
    summary: "seal every plain row with the active key",
    usage: "encrypt-existing [--batch N] [--throttle-ms MS] [--json]",
    options: { ...BATCH, ...JSON_OUT },
    positionals: 0,
    run: (p, g) =>
      run(g, async (rt) => {
        const n = await encryptExisting(rt.store, passOptions(p, "encrypt"));
        if (p.values.json) printJson({ encrypted: n });
        else console.log(`encrypted ${n} rows`);
        return 0;
      }),
  },
  "decrypt-all": {
    summary: "turn every encrypted row back into plaintext (needs --yes)",
    usage: "decrypt-all --yes [--batch N] [--throttle-ms MS] [--json]",
    options: { yes: flag("really write plaintext"), ...BATCH, ...JSON_OUT },
    notes: [
      "Set [encryption] enabled = false first, or new writes are encrypted again.",
    ],
    positionals: 0,
    run: (p, g) =>
      run(g, async (rt) => {
        if (p.values.yes !== true) throw invalid("decrypt-all writes plaintext: pass --yes");
        const n = await decryptAll(rt.store, passOptions(p, "decrypt"));
        if (p.values.json) {
          printJson({ decrypted: n, encryption_enabled: rt.config.encryption.enabled });
        } else {
          console.log(`decrypted ${n} rows`);
          if (rt.config.encryption.enabled) {
            console.log("note: [encryption] enabled = true, so new writes are still encrypted");
          }
        }
        return 0;
      }),
  },
  reindex: {
    summary: "rebuild the search index for the current [encryption] index setting",
    usage: "reindex [--json]",
    options: { ...JSON_OUT },
    positionals: 0,
    run: (p, g) =>
      run(g, (rt) => {
        const n = rt.store.rebuildFts();
        if (p.values.json) printJson({ indexed: n, index: rt.config.encryption.index });
        else console.log(`indexed ${n} rows (index ${rt.config.encryption.index})`);
        return 0;
      }),
  },
};

/** `memoryoss encryption`. */
export function main(args: string[], g: Globals): Promise<number> {
  return runGroup("encryption", "encryption at rest: keys, rotation, status", SUBS, args, g);
}
