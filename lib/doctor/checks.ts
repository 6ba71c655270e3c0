/**
 * Doctor checks on an open runtime and its home: each returns findings with a fix hint. Checks
 * read only; the repairs in repair.ts change things.
 */
import { join } from "node:path";
import { pathExists } from "../errors/mod.ts";
import { indexHealth, type Runtime } from "../memory/mod.ts";
import { brokenVectorCounts, embedderStats, integrityCheck } from "../store/mod.ts";

/** How bad a finding is: errors make `doctor` exit non-zero. */
export type Level = "ok" | "warn" | "error";

/** One line of the doctor report. */
export interface Finding {
  check: string;
  level: Level;
  message: string;
  /** What to do about it (absent for ok findings). */
  hint?: string;
}

/** SQLite's integrity check: the database file itself. */
export function checkIntegrity(rt: Runtime): Finding {
  const msgs = integrityCheck(rt.store);
  if (msgs.length === 1 && msgs[0] === "ok") {
    return { check: "database", level: "ok", message: `integrity_check ok (${rt.loaded.dbPath})` };
  }
  return {
    check: "database",
    level: "error",
    message: `integrity_check failed: ${msgs.slice(0, 3).join("; ")}`,
    hint: "the file is damaged: keep a copy, 'memoryoss export' what is still readable, " +
      "then import it into a fresh home",
  };
}

/** The FTS5 bm25 index against the memories table (row count and FTS integrity-check). */
export function checkFts(rt: Runtime): Finding {
  const { rows, expected, indexed, integrity, consistent } = rt.store.ftsHealth();
  const skipped = rows - expected; // encrypted rows left out under [encryption] index = "off"
  const note = skipped > 0 ? `; ${skipped} encrypted not indexed (index = "off")` : "";
  if (consistent) {
    return {
      check: "fts",
      level: "ok",
      message: `FTS index matches the table (${rows} rows${note})`,
    };
  }
  return {
    check: "fts",
    level: "error",
    message: `FTS index out of step with the table: ${indexed} indexed, ${expected} memories` +
      (integrity === "ok" ? "" : ` (${integrity})`),
    hint: "memoryoss doctor --repair (rebuilds the FTS index from the table)",
  };
}

/** Rows whose vector is missing or unreadable (wrong byte length for its dimension). */
export function brokenVectorCount(rt: Runtime): { missing: number; corrupt: number } {
  return brokenVectorCounts(rt.store);
}

/** Vectors against the table: every memory needs a readable vector for the vector channel. */
export function checkVectors(rt: Runtime): Finding {
  const { missing, corrupt } = brokenVectorCount(rt);
  if (missing || corrupt) {
    return {
      check: "vectors",
      level: "error",
      message: [
        missing ? `${missing} ${missing === 1 ? "memory has" : "memories have"} no vector` : "",
        corrupt
          ? `${corrupt} ${corrupt === 1 ? "memory has" : "memories have"} an unreadable one`
          : "",
      ].filter(Boolean).join(" and ") + "; the vector channel cannot find them",
      hint: "memoryoss doctor --repair (re-embeds them)",
    };
  }
  const h = indexHealth(rt, "*") as { vector_index_size: number; vectors_expected: number };
  if (h.vector_index_size !== h.vectors_expected) {
    return {
      check: "vectors",
      level: "error",
      message: `vector index holds ${h.vector_index_size} vectors, the table ${h.vectors_expected}`,
      hint: "memoryoss doctor --repair",
    };
  }
  return {
    check: "vectors",
    level: "ok",
    message: `vector index matches the table (${h.vector_index_size} vectors)`,
  };
}

/** Vectors made by another embedder (or dimension) than the configured one. */
export function checkEmbedder(rt: Runtime): Finding {
  const id = rt.embedder.id;
  const others = embedderStats(rt.store).filter((e) =>
    e.embedder_id !== null && (e.embedder_id !== id || e.dim !== rt.embedder.dim)
  );
  const n = others.reduce((s, e) => s + e.n, 0);
  if (n === 0) {
    return { check: "embedder", level: "ok", message: `embedder ${id} (${rt.embedder.dim} dims)` };
  }
  return {
    check: "embedder",
    level: "warn",
    message: `${n} memor${n === 1 ? "y was" : "ies were"} embedded by ${
      others.map((e) => `${e.embedder_id}/${e.dim}`).join(", ")
    }, not the configured ${id}/${rt.embedder.dim}; vector recall skips them`,
    hint: "memoryoss embed reembed (or doctor --repair)",
  };
}

/** Secret files must be private to the user (0600) on POSIX systems. */
export async function checkKeyFiles(home: string, keyPath: string): Promise<Finding[]> {
  const out: Finding[] = [];
  // A Vault home keeps its key wrapped in memoryoss.key.vault (lib/crypto/vault.ts).
  const wrapped = keyPath + ".vault";
  const plainKey = await pathExists(keyPath);
  const wrappedKey = await pathExists(wrapped);
  const key = !plainKey && wrappedKey ? wrapped : keyPath;
  for (const [path, required] of [[key, true], [join(home, "admin.key"), false]] as const) {
    let st: Deno.FileInfo;
    try {
      st = await Deno.stat(path);
    } catch {
      if (required) {
        out.push({
          check: "keys",
          level: "warn",
          message: `${path} does not exist yet`,
          hint: "any memory command creates it (e.g. 'memoryoss status')",
        });
      }
      continue;
    }
    const mode = st.mode === null ? null : st.mode & 0o777;
    if (Deno.build.os !== "windows" && mode !== null && (mode & 0o077) !== 0) {
      out.push({
        check: "keys",
        level: "error",
        message: `${path} is readable by others (mode 0${mode.toString(8)})`,
        hint: `chmod 600 ${path} (or doctor --repair)`,
      });
    } else if (path === key && st.size < 16) {
      out.push({
        check: "keys",
        level: "error",
        message: `${path} is too short (${st.size} bytes) to derive keys from`,
        hint: "restore it from a backup; a new key invalidates issued tokens",
      });
    } else out.push({ check: "keys", level: "ok", message: `${path} is private` });
  }
  return out;
}
