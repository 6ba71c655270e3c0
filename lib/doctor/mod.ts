/**
 * `memoryoss doctor [--repair]`: config validity, database integrity, FTS and vector index
 * consistency with the table, embedder fingerprint drift, key file permissions and client
 * integration drift. `repair` rebuilds the FTS index, re-embeds broken or stale vectors
 * (lib/memory reembed), tightens key file modes and replays the managed client blocks, then
 * checks again.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { type EnvGet, loadConfig, type LoadedConfig, resolveHome } from "../config/mod.ts";
import { MemoryossError, pathExists } from "../errors/mod.ts";
import { openRuntime, reembed, type Runtime } from "../memory/mod.ts";
import { clearBrokenVectors } from "../store/mod.ts";
import {
  clientPaths,
  defaultLaunch,
  type FileReport,
  readManifest,
  replaySetup,
} from "../setup/mod.ts";
import {
  brokenVectorCount,
  checkEmbedder,
  checkFts,
  checkIntegrity,
  checkKeyFiles,
  checkVectors,
  type Finding,
} from "./checks.ts";
import { checkPostgresEngine, type PostgresProbe } from "./engine_check.ts";

export { type Finding } from "./checks.ts";
export { type PostgresProbe } from "./engine_check.ts";

/** Options for {@link runDoctor}. */
interface DoctorOptions {
  env: EnvGet;
  /** `-c FILE`. */
  config?: string;
  repair?: boolean;
  /** Reads the configured Postgres for the engine line (`[storage] backend = "postgres"`). */
  probePostgres?: PostgresProbe;
}

/** The doctor's answer. */
interface DoctorReport {
  home: string;
  /** No finding is an error. */
  ok: boolean;
  /** What --repair did (empty without it). */
  repairs: string[];
  findings: Finding[];
}

async function loadChecked(o: DoctorOptions, out: Finding[]): Promise<LoadedConfig | null> {
  try {
    // Any backend: a Postgres config is checked (engine line), not refused.
    const opts = { configPath: o.config, env: o.env, init: false };
    const loaded = await loadConfig({ ...opts, anyBackend: true });
    if (loaded.config.storage.backend === "postgres") {
      // What the other commands say about this config today.
      const refusal = await loadConfig(opts).then(() => null, (e: Error) => e);
      if (refusal) {
        out.push({
          check: "config",
          level: "error",
          message: refusal.message,
          hint: "only `memoryoss migrate` uses Postgres so far (docs/scaling.md)",
        });
        return loaded;
      }
    }
    out.push({
      check: "config",
      level: "ok",
      message: loaded.configPath
        ? `config valid (${loaded.configPath})`
        : "no config file: defaults",
    });
    return loaded;
  } catch (e) {
    if (!(e instanceof MemoryossError)) throw e;
    out.push({
      check: "config",
      level: "error",
      message: e.message,
      hint: "fix the key named above (or delete the file: the next run writes fresh defaults)",
    });
    return null;
  }
}

function storeChecks(rt: Runtime): Finding[] {
  const db = checkIntegrity(rt);
  if (db.level === "error") return [db];
  return [db, checkFts(rt), checkVectors(rt), checkEmbedder(rt)];
}

function integrationFindings(files: FileReport[] | null): Finding[] {
  if (files === null) {
    return [{
      check: "clients",
      level: "ok",
      message: "no client integration set up ('memoryoss setup --profile …' adds one)",
    }];
  }
  return files.map((f): Finding => {
    const what = f.what.join(", ");
    if (f.action === "unchanged") {
      return { check: "clients", level: "ok", message: `${f.client}: ${f.path} up to date` };
    }
    if (f.action === "skipped") {
      return {
        check: "clients",
        level: "warn",
        message: `${f.client}: ${f.path}: ${f.reason}`,
        hint: "fix the file, then memoryoss doctor --repair",
      };
    }
    return {
      check: "clients",
      level: "error",
      message: `${f.client}: ${f.path}: ${what} missing or changed`,
      hint: "memoryoss doctor --repair (replays the managed blocks)",
    };
  });
}

async function repairStore(rt: Runtime, found: Finding[], done: string[]): Promise<void> {
  const bad = (check: string) => found.some((f) => f.check === check && f.level !== "ok");
  if (bad("fts")) {
    rt.store.rebuildFts();
    done.push("rebuilt the FTS index");
  }
  if (bad("vectors") || bad("embedder")) {
    const broken = brokenVectorCount(rt);
    if (broken.missing || broken.corrupt) {
      // Mark them stale so reembed (which re-embeds by embedder id) picks them up.
      clearBrokenVectors(rt.store);
    }
    const r = await reembed(rt);
    done.push(`re-embedded ${r.reembedded} memories with ${r.embedder_id}`);
  }
}

async function repairKeys(found: Finding[], done: string[]): Promise<void> {
  for (const f of found) {
    const m = /^(.*) is readable by others/.exec(f.message);
    if (f.check !== "keys" || !m) continue;
    await Deno.chmod(m[1], 0o600);
    done.push(`chmod 600 ${m[1]}`);
  }
}

async function collect(o: DoctorOptions, home: string): Promise<Finding[]> {
  const found: Finding[] = [];
  if (!await pathExists(home)) {
    found.push({
      check: "home",
      level: "warn",
      message: `${home} does not exist yet`,
      hint: "any memory command creates it (e.g. 'memoryoss status')",
    });
  }
  const loaded = await loadChecked(o, found);
  if (loaded) {
    found.push(...await checkKeyFiles(home, loaded.keyPath));
    if (loaded.config.storage.backend === "postgres") {
      found.push(await checkPostgresEngine(loaded.config.storage.url, o.probePostgres));
    } else if (await pathExists(loaded.dbPath)) {
      const rt = await openRuntime(loaded);
      try {
        found.push(...storeChecks(rt));
      } finally {
        rt.close();
      }
    } else {
      found.push({ check: "database", level: "ok", message: "no database yet (nothing stored)" });
    }
  }
  const replay = await replaySetup({ env: o.env, memoryossHome: home, dryRun: true });
  found.push(...integrationFindings(replay?.files ?? null));
  const cmd = (await readManifest(home, clientPaths(o.env).home))?.launch.command;
  if (cmd && isAbsolute(cmd) && !await pathExists(cmd)) {
    found.push({
      check: "clients",
      level: "error",
      message: `the clients run ${cmd}, which does not exist (moved or uninstalled?)`,
      hint: "memoryoss doctor --repair (points them at this memoryoss), or setup --bin PATH",
    });
  }
  return found;
}

/**
 * Check (and with `repair`, fix) a memoryoss home.
 *
 * @example
 * ```ts
 * const r = await runDoctor({ env: (k) => Deno.env.get(k), repair: true });
 * if (!r.ok) console.error(r.findings.filter((f) => f.level === "error"));
 * ```
 */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const home = resolve(resolveHome(o.env));
  let findings = await collect(o, home);
  const repairs: string[] = [];
  if (o.repair && findings.some((f) => f.level !== "ok")) {
    const loaded = await loadConfig({ configPath: o.config, env: o.env, init: false })
      .catch(() => null);
    if (loaded && await pathExists(loaded.dbPath)) {
      const rt = await openRuntime(loaded);
      try {
        await repairStore(rt, findings, repairs);
      } finally {
        rt.close();
      }
    }
    await repairKeys(findings, repairs);
    if (findings.some((f) => f.check === "clients" && f.level === "error")) {
      const moved = findings.some((f) => f.check === "clients" && /does not exist/.test(f.message));
      const launch = moved ? defaultLaunch() : undefined;
      const r = await replaySetup({ env: o.env, memoryossHome: home, launch });
      const n = r?.files.filter((f) => f.action === "created" || f.action === "updated").length;
      if (launch) repairs.push(`pointed the clients at ${launch.command}`);
      if (n) repairs.push(`rewrote ${n} client file(s) from the setup manifest`);
    }
    findings = await collect(o, home);
  }
  return { home, ok: !findings.some((f) => f.level === "error"), repairs, findings };
}
