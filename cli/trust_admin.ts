/**
 * CLI: the `trust` subcommands that twin the admin trust routes (docs/http-api.md): unpin,
 * restore, catalog export|import, sign and verify. Each calls the lib/portable function its
 * route calls.
 */
import {
  exportCatalog,
  homeTrust,
  importCatalog,
  readTrustFabric,
  restoreIdentity,
  SIDECAR_KINDS,
  type SidecarKind,
  signSidecar,
  toPlain,
  type TrustFabric,
  unpinIdentity,
  verifySidecar,
} from "../lib/portable/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import {
  invalid,
  JSON_OUT,
  OUTPUT,
  readArtifact,
  str,
  type Sub,
  writeOutput,
} from "./_portable.ts";

/** What `trust.ts` shares with these subcommands. */
export interface TrustHelpers {
  file: Sub["options"];
  catalogPath(p: Parsed, g: Globals): Promise<string>;
  edit(p: Parsed, g: Globals, change: (f: TrustFabric) => TrustFabric): Promise<TrustFabric>;
  report(p: Parsed, fabric: TrustFabric, id: string, message: string): number;
}

/** `trust unpin|restore|catalog|sign|verify`. */
export function adminSubs(h: TrustHelpers): Record<string, Sub> {
  return { ...pinSubs(h), catalog: catalogSub(h), ...sidecarSubs(h) };
}

/** `trust unpin|restore`. */
function pinSubs(h: TrustHelpers): Record<string, Sub> {
  const unpin: Sub = {
    summary: "remove the pin of an identity (it stays trusted)",
    usage: "unpin ID [--json]",
    options: { ...h.file, ...JSON_OUT },
    examples: ["memoryoss trust unpin device:laptop"],
    positionals: 1,
    async run(p, g) {
      const id = p.positionals[0];
      return h.report(p, await h.edit(p, g, (f) => unpinIdentity(f, id)), id, `unpinned ${id}`);
    },
  };
  const restore: Sub = {
    summary: "lift the revocation of an identity",
    usage: "restore ID [--json]",
    options: { ...h.file, ...JSON_OUT },
    notes: ["Bundles signed with its key validate as trusted again. Exit 3 if not revoked."],
    examples: ["memoryoss trust restore device:laptop"],
    positionals: 1,
    async run(p, g) {
      const id = p.positionals[0];
      return h.report(p, await h.edit(p, g, (f) => restoreIdentity(f, id)), id, `restored ${id}`);
    },
  };
  return { unpin, restore };
}

/** `trust catalog export|import`. */
function catalogSub(h: TrustHelpers): Sub {
  return {
    summary: "export the catalog for a team, or import one (memoryOSS trust catalog JSON)",
    usage: "catalog export CATALOG_ID [--label TEXT] [-o FILE] | catalog import FILE [--json]",
    options: { label: str("catalog label (export)", "TEXT"), ...OUTPUT, ...h.file, ...JSON_OUT },
    notes: [
      "export prints the identities, pins and revocations as a catalog; import merges one into",
      "this home's trust.json (entries the catalog brought are marked with its id).",
    ],
    examples: [
      "memoryoss trust catalog export team-a -o team-a.catalog.json",
      "memoryoss trust catalog import team-a.catalog.json --json",
    ],
    positionals: 2,
    async run(p, g) {
      const [verb, arg] = p.positionals;
      if (verb === "export") return await catalogExport(h, p, g, arg);
      if (verb !== "import") throw invalid(`trust catalog: 'export' or 'import', got '${verb}'`);
      return await catalogImport(h, p, g, arg);
    },
  };
}

/** `trust catalog export CATALOG_ID`: the catalog JSON on stdout or into `-o FILE`. */
async function catalogExport(h: TrustHelpers, p: Parsed, g: Globals, id: string) {
  const fabric = await readTrustFabric(await h.catalogPath(p, g));
  const out = exportCatalog(fabric, {
    catalogId: id,
    label: strValue(p.values.label),
    now: new Date(),
  });
  const text = JSON.stringify(out, null, 2) + "\n";
  const file = strValue(p.values.output);
  if (file) await Deno.writeTextFile(file, text);
  else await Deno.stdout.write(new TextEncoder().encode(text));
  return 0;
}

/** `trust catalog import FILE`: merged into this home's trust.json. */
async function catalogImport(h: TrustHelpers, p: Parsed, g: Globals, file: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    if (e instanceof SyntaxError) throw invalid(`${file}: not JSON (${e.message})`);
    if (e instanceof Deno.errors.NotFound) throw invalid(`${file}: no such file`);
    throw new MemoryossError("IO", `cannot read ${file}: ${(e as Error).message}`);
  }
  let summary: unknown;
  await h.edit(p, g, (f) => {
    const done = importCatalog(f, raw, new Date());
    summary = done.summary;
    return done.fabric;
  });
  if (p.values.json) printJson(summary);
  else console.log(`imported ${file}: ${JSON.stringify(summary)}`);
  return 0;
}

const kindArg = (k: string): SidecarKind => {
  if (!(SIDECAR_KINDS as readonly string[]).includes(k)) {
    throw invalid(`KIND must be one of ${SIDECAR_KINDS.join(", ")}, got '${k}'`);
  }
  return k as SidecarKind;
};

/** sync_peer records are plain JSON; passports and histories are hashed losslessly. */
const artifactOf = async (kind: SidecarKind, file: string) => {
  const tree = await readArtifact(file);
  return kind === "sync_peer" ? toPlain(tree) : tree;
};

/** `trust sign|verify`: sidecar signatures. */
function sidecarSubs(h: TrustHelpers): Record<string, Sub> {
  const sign: Sub = {
    summary: "sign a passport, history or sync_peer record with this home's key (sidecar)",
    usage: "sign KIND FILE [--identity ID] [-o OUT]",
    options: { identity: str("must be this home's identity", "ID"), ...OUTPUT, ...h.file },
    notes: [
      "KIND: passport | history | sync_peer. Prints the sidecar signature JSON (memoryoss",
      "ed25519 scheme); give it to 'memoryoss trust verify' with the artifact.",
    ],
    examples: ["memoryoss trust sign passport proj.passport.json -o proj.passport.sig.json"],
    positionals: 2,
    async run(p, g) {
      const kind = kindArg(p.positionals[0]);
      const artifact = await artifactOf(kind, p.positionals[1]);
      const home = (await loadConfig({ configPath: g.config })).home;
      const fabric = await readTrustFabric(await h.catalogPath(p, g));
      const sidecar = await signSidecar(home, fabric, {
        kind,
        artifact,
        identity: strValue(p.values.identity),
      }, new Date());
      await writeOutput(strValue(p.values.output), JSON.stringify(sidecar, null, 2) + "\n");
      return 0;
    },
  };
  const verify: Sub = {
    summary: "check an artifact against a sidecar signature and this home's trust catalog",
    usage: "verify KIND FILE --signature SIG_FILE [--json]",
    options: { signature: str("the sidecar JSON 'trust sign' wrote", "SIG_FILE"), ...JSON_OUT },
    notes: [
      "Exit 0 when the signature is valid and its key trusted here; 5 otherwise (the decision",
      "says why: unsigned, unknown_identity, invalid_signature, revoked).",
    ],
    examples: [
      "memoryoss trust verify passport proj.passport.json --signature proj.passport.sig.json",
    ],
    positionals: 2,
    async run(p, g) {
      const kind = kindArg(p.positionals[0]);
      const sigFile = strValue(p.values.signature);
      if (!sigFile) throw invalid("trust verify needs --signature SIG_FILE");
      const artifact = await artifactOf(kind, p.positionals[1]);
      const signature = toPlain(await readArtifact(sigFile));
      const loaded = await loadConfig({ configPath: g.config });
      const secret = Deno.env.get("MEMORYOSS_AUDIT_HMAC_SECRET") ||
        loaded.config.auth.audit_hmac_secret || undefined;
      const { fabric, keys } = await homeTrust(loaded.home, secret);
      const d = await verifySidecar(fabric, keys, { kind, artifact, signature });
      if (p.values.json) printJson(d);
      else console.log(`${d.status}: ${d.reason}`);
      return d.trusted ? 0 : 5;
    },
  };
  return { sign, verify };
}
