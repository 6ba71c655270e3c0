/**
 * CLI: trust — the trust catalog (`<home>/trust.json`) that `bundle validate` and `reader`
 * check signers against: list, add a third party's public key, pin, revoke, replace (rotate),
 * show, remove; and `identity`, this home's own signing key to hand to others.
 */
import { join } from "node:path";
import { loadConfig } from "../lib/config/mod.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import {
  addIdentity,
  devicePublicKey,
  deviceSigner,
  editTrustFile,
  IDENTITY_KINDS,
  type IdentityKind,
  keyFingerprint,
  parsePublicKey,
  pinIdentity,
  publicKeyBase64,
  readTrustFabric,
  removeIdentity,
  replaceIdentity,
  requireIdentity,
  revokeIdentity,
  TRUST_FILE,
  type TrustFabric,
  type TrustRow,
  trustRows,
} from "../lib/portable/mod.ts";
import { type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { flag, invalid, JSON_OUT, runGroup, str, type Sub } from "./_portable.ts";
import { adminSubs } from "./trust_admin.ts";

const FILE = {
  trust: str("trust catalog to use (default: trust.json in the memoryoss home)", "FILE"),
};

async function catalogPath(p: Parsed, g: Globals): Promise<string> {
  const explicit = strValue(p.values.trust);
  if (explicit) return explicit;
  return join((await loadConfig({ configPath: g.config })).home, TRUST_FILE);
}

/** Reads the catalog, applies `edit`, writes it back; returns the new fabric. */
async function edit(
  p: Parsed,
  g: Globals,
  change: (f: TrustFabric) => TrustFabric | Promise<TrustFabric>,
): Promise<TrustFabric> {
  return await editTrustFile(await catalogPath(p, g), change);
}

/** `--public-key` / `--with`: a key (base64, hex, PEM, identity JSON) or a file holding one. */
async function keyArg(value: string | undefined, option: string): Promise<string> {
  if (!value) {
    throw invalid(
      `${option} needs a public key (the base64 printed by 'memoryoss trust identity') or a file`,
    );
  }
  try {
    return await parsePublicKey(value);
  } catch (e) {
    let text: string;
    try {
      text = await Deno.readTextFile(value);
    } catch (re) {
      if (re instanceof Deno.errors.NotFound || re instanceof Deno.errors.InvalidData) throw e;
      throw new MemoryossError("IO", `cannot read ${value}: ${(re as Error).message}`);
    }
    try {
      return await parsePublicKey(text);
    } catch (pe) {
      throw invalid(`${value}: ${(pe as Error).message}`);
    }
  }
}

function rowLines(r: TrustRow): string[] {
  const lines = [
    ["id", r.id],
    ["kind", r.kind],
    ["label", r.label],
    ["status", r.status],
    ["pinned", r.pinned ? "yes" : "no"],
    ["source", r.source_catalog ? `${r.source} (${r.source_catalog})` : r.source],
    ["registered_at", r.registered_at || "-"],
    ["public_key", r.public_key ? publicKeyBase64(r.public_key) : "- (HMAC only)"],
    ["fingerprint", r.fingerprint ?? "-"],
  ];
  if (r.status === "revoked") {
    lines.push(["revoked_at", r.revoked_at ?? "-"], ["reason", r.revoked_reason || "-"]);
    if (r.replacement_identity) lines.push(["replaced_by", r.replacement_identity]);
  }
  return lines.map(([k, v]) => `${k.padEnd(16)}${v}`);
}

function report(p: Parsed, fabric: TrustFabric, id: string, message: string): number {
  const row = trustRows(fabric).find((r) => r.id === id)!;
  if (p.values.json) printJson(row);
  else console.log(message);
  return 0;
}

const list: Sub = {
  summary: "list identities with status, pin and key fingerprint",
  usage: "list [--trust FILE] [--json]",
  options: { ...FILE, ...JSON_OUT },
  examples: ["memoryoss trust list --json"],
  positionals: 0,
  async run(p, g) {
    const path = await catalogPath(p, g);
    const rows = trustRows(await readTrustFabric(path));
    if (p.values.json) {
      printJson({ file: path, identities: rows });
      return 0;
    }
    if (rows.length === 0) {
      console.log(`${path}: no identities yet ('memoryoss trust add NAME --public-key KEY')`);
      return 0;
    }
    const w = Math.max(...rows.map((r) => r.id.length)) + 2;
    console.log(`${"ID".padEnd(w)}${"KIND".padEnd(11)}${"STATUS".padEnd(9)}PIN  FINGERPRINT`);
    for (const r of rows) {
      console.log(
        `${r.id.padEnd(w)}${r.kind.padEnd(11)}${r.status.padEnd(9)}${r.pinned ? "yes" : "-  "}  ` +
          `${r.fingerprint ?? "(hmac)"}`,
      );
    }
    return 0;
  },
};

const kindOf = (p: Parsed): IdentityKind | undefined => {
  const k = strValue(p.values.kind);
  if (k === undefined) return undefined;
  if (!(IDENTITY_KINDS as readonly string[]).includes(k)) {
    throw invalid(`--kind must be one of ${IDENTITY_KINDS.join(", ")}, got '${k}'`);
  }
  return k as IdentityKind;
};

const add: Sub = {
  summary: "trust another home's (or person's) Ed25519 public key",
  usage: "add NAME --public-key KEY|FILE [--kind device] [--label TEXT] [--pin] [--json]",
  options: {
    "public-key": str("base64 or hex public key, or a file holding it", "KEY|FILE"),
    kind: str("device (default, or NAME's kind: prefix) | author | sync_peer", "KIND"),
    label: str("a description (default: NAME)", "TEXT"),
    pin: flag("pin the identity as well"),
    ...FILE,
    ...JSON_OUT,
  },
  notes: [
    "NAME becomes the identity id <kind>:NAME (or is used as is when it holds a ':'). Trust is",
    "matched by public key: bundles whose signature verifies under this key (they sign as",
    "device:<fingerprint of the key>) then validate as trusted and can be imported. Get the key",
    "on the other machine with 'memoryoss trust identity'.",
  ],
  examples: ["memoryoss trust add laptop --public-key 3q2+7w…= --pin"],
  positionals: 1,
  async run(p, g) {
    const key = await keyArg(strValue(p.values["public-key"]), "--public-key");
    let id = "";
    const fabric = await edit(p, g, (f) => {
      const r = addIdentity(f, {
        name: p.positionals[0],
        publicKey: key,
        kind: kindOf(p),
        label: strValue(p.values.label),
        pin: p.values.pin === true,
        now: new Date(),
      });
      id = r.identity.id;
      return r.fabric;
    });
    return report(p, fabric, id, `added ${id} (fingerprint ${keyFingerprint(key)})`);
  },
};

const pin: Sub = {
  summary: "pin a known identity",
  usage: "pin ID [--json]",
  options: { ...FILE, ...JSON_OUT },
  notes: ["A pin is shown as the origin of the trust decision (local_pin)."],
  examples: ["memoryoss trust pin device:laptop"],
  positionals: 1,
  async run(p, g) {
    const id = p.positionals[0];
    const fabric = await edit(p, g, (f) => pinIdentity(f, id, new Date()));
    return report(p, fabric, id, `pinned ${id}`);
  },
};

const revoke: Sub = {
  summary: "revoke an identity: bundles signed with its key are then rejected",
  usage: "revoke ID [--reason TEXT] [--json]",
  options: { reason: str("why (shown by validate and reader)", "TEXT"), ...FILE, ...JSON_OUT },
  notes: [
    "Bundles whose signature verifies under the revoked key are rejected (status revoked, exit",
    "5) by validate, reader and passport import, whatever signer name they carry.",
  ],
  examples: ['memoryoss trust revoke device:laptop --reason "laptop stolen"'],
  positionals: 1,
  async run(p, g) {
    const id = p.positionals[0];
    const fabric = await edit(
      p,
      g,
      (f) => revokeIdentity(f, id, { reason: strValue(p.values.reason), now: new Date() }),
    );
    return report(p, fabric, id, `revoked ${id}`);
  },
};

const replace: Sub = {
  summary: "rotate an identity to a new key (the old one is revoked)",
  usage: "replace OLD --with KEY|FILE [--id NEW_ID] [--reason TEXT] [--json]",
  options: {
    with: str("the new public key (base64 or hex), or a file holding it", "KEY|FILE"),
    id: str("id of the new identity (default: OLD-2, OLD-3, …)", "NEW_ID"),
    reason: str("revocation reason (default: rotated to NEW_ID)", "TEXT"),
    ...FILE,
    ...JSON_OUT,
  },
  notes: [
    "Bundles signed with the old key then validate as revoked, naming the replacement; bundles",
    "signed with the new key as trusted. A pin moves to the new identity.",
  ],
  examples: ["memoryoss trust replace device:laptop --with new-laptop.identity.json"],
  positionals: 1,
  async run(p, g) {
    const key = await keyArg(strValue(p.values.with), "--with");
    let id = "";
    const fabric = await edit(p, g, (f) => {
      const r = replaceIdentity(f, p.positionals[0], {
        publicKey: key,
        newId: strValue(p.values.id),
        reason: strValue(p.values.reason),
        now: new Date(),
      });
      id = r.identity.id;
      return r.fabric;
    });
    return report(p, fabric, id, `replaced ${p.positionals[0]} with ${id}`);
  },
};

const show: Sub = {
  summary: "one identity in full",
  usage: "show ID [--json]",
  options: { ...FILE, ...JSON_OUT },
  examples: ["memoryoss trust show device:laptop"],
  positionals: 1,
  async run(p, g) {
    const fabric = await readTrustFabric(await catalogPath(p, g));
    requireIdentity(fabric, p.positionals[0]);
    const row = trustRows(fabric).find((r) => r.id === p.positionals[0])!;
    if (p.values.json) printJson(row);
    else console.log(rowLines(row).join("\n"));
    return 0;
  },
};

const remove: Sub = {
  summary: "forget an identity (with its pin and revocation)",
  usage: "remove ID --yes",
  options: { yes: flag("really remove it"), ...FILE, ...JSON_OUT },
  notes: [
    "Removing a revoked identity turns its bundles from revoked into unknown_identity. This",
    "home's own identity cannot be removed.",
  ],
  examples: ["memoryoss trust remove device:laptop --yes"],
  positionals: 1,
  async run(p, g) {
    const id = p.positionals[0];
    if (p.values.yes !== true) {
      throw invalid(`trust remove forgets '${id}' for good; run it again with --yes`);
    }
    const own = await devicePublicKey((await loadConfig({ configPath: g.config })).home);
    await edit(p, g, (f) => removeIdentity(f, id, own));
    if (p.values.json) printJson({ removed: id });
    else console.log(`removed ${id}`);
    return 0;
  },
};

const identity: Sub = {
  summary: "this home's signing identity and public key, to give to others",
  usage: "identity [--json]",
  options: { ...JSON_OUT },
  notes: [
    "The key pair is <home>/trust-device.key (created on first use); this home signs as",
    "device:<first 16 hex digits of the key's SHA-256>. On another machine:",
    "memoryoss trust add NAME --public-key <the base64 key below>",
  ],
  examples: ["memoryoss trust identity --json > this-home.identity.json"],
  positionals: 0,
  async run(p, g) {
    const home = (await loadConfig({ configPath: g.config })).home;
    const signer = await deviceSigner(home, new Date());
    const out = {
      id: signer.identity,
      kind: "device",
      public_key: publicKeyBase64(signer.publicKeyHex),
      public_key_hex: signer.publicKeyHex,
      fingerprint: keyFingerprint(signer.publicKeyHex),
      add_command: `memoryoss trust add NAME --public-key ${publicKeyBase64(signer.publicKeyHex)}`,
    };
    if (p.values.json) printJson(out);
    else {
      console.log(`${out.id}  (fingerprint ${out.fingerprint})`);
      console.log(out.public_key);
      console.log(`\nOn another machine: ${out.add_command}`);
    }
    return 0;
  },
};

/** `memoryoss trust …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "trust",
    "the trust catalog that bundle validate and reader check signers against",
    {
      list,
      add,
      pin,
      revoke,
      replace,
      show,
      remove,
      identity,
      ...adminSubs({ file: FILE, catalogPath, edit, report }),
    },
    args,
    g,
  );
}
