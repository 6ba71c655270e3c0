/**
 * Trust fabric routes (memoryOSS §2.4/§5.5), admin role, over the server home's `trust.json`
 * (the catalog `memoryoss trust` edits; home-wide, not per namespace):
 *
 *   GET  /v1/admin/trust/fabric                      the fabric + one row per identity
 *   POST /v1/admin/trust/register {id, public_key, kind?, label?, pin?}   (`trust add`)
 *   POST /v1/admin/trust/pin|unpin|restore {id}      (`trust pin`)
 *   POST /v1/admin/trust/revoke {id, reason?, replacement_identity?}      (`trust revoke`)
 *   GET  /v1/admin/trust/catalog/export?catalog_id&label
 *   POST /v1/admin/trust/catalog/import {catalog}
 *   POST /v1/admin/trust/sign {kind, artifact, identity?}     → sidecar signature
 *   POST /v1/admin/trust/verify {kind, artifact, signature?}  → trust decision
 *
 * Identities are Ed25519 public keys (memoryOSS registers bare names for its shared-secret
 * HMAC), so `register` needs `public_key`. Artifacts are read losslessly (mounted before the
 * generic body guard, like the portability routes); edits run one at a time in the write queue.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { join } from "node:path";
import { z } from "zod";
import { parseInput } from "../../memory/mod.ts";
import {
  addIdentity,
  editTrustFile,
  exportCatalog,
  homeTrust,
  IDENTITY_KINDS,
  importCatalog,
  parsePublicKey,
  pinIdentity,
  readTrustFabric,
  requireIdentity,
  restoreIdentity,
  revokeIdentity,
  SIDECAR_KINDS,
  signSidecar,
  toPlain,
  TRUST_FILE,
  type TrustFabric,
  trustRows,
  unpinIdentity,
  verifySidecar,
} from "../../portable/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { body, queryInput } from "./_helpers.ts";
import { artifactField, artifactRoute, artifactTree, integrity400 } from "./_artifact_body.ts";

const Id = z.strictObject({ id: z.string().min(1) });
const Register = z.strictObject({
  id: z.string().min(1),
  public_key: z.string().min(1, "public_key: identities here are Ed25519 public keys"),
  kind: z.enum(IDENTITY_KINDS).optional(),
  label: z.string().optional(),
  pin: z.boolean().optional(),
});
const Revoke = z.strictObject({
  id: z.string().min(1),
  reason: z.string().optional(),
  replacement_identity: z.string().min(1).optional(),
});
const CatalogExport = z.strictObject({
  catalog_id: z.string().min(1),
  label: z.string().optional(),
});
const Sign = z.strictObject({
  kind: z.enum(SIDECAR_KINDS),
  artifact: z.unknown(),
  identity: z.string().min(1).optional(),
});
const Verify = z.strictObject({
  kind: z.enum(SIDECAR_KINDS),
  artifact: z.unknown(),
  signature: z.unknown().optional(),
});

/** What every trust route shares: the admin guard, `trust.json`, its edit in the write queue. */
type TrustDeps = {
  rt: ServerState["rt"];
  admin: MiddlewareHandler<AppEnv>;
  path: string;
  edit: (change: (f: TrustFabric) => TrustFabric) => Promise<TrustFabric>;
  row: (f: TrustFabric, id: string) => ReturnType<typeof trustRows>[number];
};

/** The trust routes, mounted under `/v1/admin/trust` before the generic `/v1/*` guard. */
export function trustRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue } = state;
  const r = new Hono<AppEnv>();
  const path = join(rt.loaded.home, TRUST_FILE);
  const deps: TrustDeps = {
    rt,
    admin: artifactRoute(state, "admin"),
    path,
    edit: (change) => queue.run(() => editTrustFile(path, change)) as Promise<TrustFabric>,
    row: (f, id) => trustRows(f).find((x) => x.id === id)!,
  };
  identityRoutes(r, deps);
  catalogRoutes(r, deps);
  sidecarRoutes(r, deps);
  return r;
}

/** The fabric, and register / pin / unpin / restore / revoke of one identity. */
function identityRoutes(r: Hono<AppEnv>, { rt, admin, path, edit, row }: TrustDeps): void {
  r.get("/fabric", admin, async (c) => {
    queryInput(c, {});
    const fabric = await readTrustFabric(path);
    return c.json({ ...fabric, rows: trustRows(fabric) });
  });

  r.post("/register", admin, async (c) => {
    const input = parseInput(Register, body(c));
    const publicKey = await parsePublicKey(input.public_key);
    let id = "";
    const f = await edit((fabric) => {
      const added = addIdentity(fabric, {
        name: input.id,
        publicKey,
        kind: input.kind,
        label: input.label,
        pin: input.pin === true,
        now: rt.now(),
      });
      id = added.identity.id;
      return added.fabric;
    });
    return c.json(row(f, id));
  });

  const byId = (name: string, change: (f: TrustFabric, id: string) => TrustFabric) =>
    r.post(`/${name}`, admin, async (c) => {
      const { id } = parseInput(Id, body(c));
      return c.json(row(await edit((f) => change(f, id)), id));
    });
  byId("pin", (f, id) => pinIdentity(f, id, rt.now()));
  byId("unpin", unpinIdentity);
  byId("restore", restoreIdentity);

  r.post("/revoke", admin, async (c) => {
    const input = parseInput(Revoke, body(c));
    const f = await edit((fabric) => {
      if (input.replacement_identity) requireIdentity(fabric, input.replacement_identity);
      return revokeIdentity(fabric, input.id, {
        reason: input.reason,
        replacement: input.replacement_identity,
        now: rt.now(),
      });
    });
    return c.json(row(f, input.id));
  });
}

/** `/catalog/export` and `/catalog/import`: the fabric as a shareable catalog. */
function catalogRoutes(r: Hono<AppEnv>, { rt, admin, path, edit }: TrustDeps): void {
  r.get("/catalog/export", admin, async (c) => {
    const q = parseInput(CatalogExport, queryInput(c, { catalog_id: "string", label: "string" }));
    const fabric = await readTrustFabric(path);
    return c.json(
      exportCatalog(fabric, { catalogId: q.catalog_id, label: q.label, now: rt.now() }),
    );
  });

  r.post("/catalog/import", admin, async (c) => {
    const input = parseInput(z.strictObject({ catalog: z.unknown() }), body(c));
    let summary: unknown;
    await edit((fabric) => {
      const done = importCatalog(fabric, input.catalog, rt.now());
      summary = done.summary;
      return done.fabric;
    });
    return c.json(summary);
  });
}

/** `/sign` and `/verify`: sidecar signatures over an artifact read losslessly. */
function sidecarRoutes(r: Hono<AppEnv>, { rt, admin, path }: TrustDeps): void {
  const hmac = () => rt.config.auth.audit_hmac_secret || undefined;
  r.post("/sign", admin, async (c) => {
    const input = parseInput(Sign, body(c));
    const artifact = input.kind === "sync_peer" ? input.artifact : artifactField(c, ["artifact"]);
    const fabric = await readTrustFabric(path);
    try {
      return c.json(
        await signSidecar(rt.loaded.home, fabric, {
          kind: input.kind,
          artifact,
          identity: input.identity,
        }, rt.now()),
      );
    } catch (e) {
      return integrity400(c, e);
    }
  });

  r.post("/verify", admin, async (c) => {
    const input = parseInput(Verify, body(c));
    const artifact = input.kind === "sync_peer" ? input.artifact : artifactField(c, ["artifact"]);
    const { fabric, keys } = await homeTrust(rt.loaded.home, hmac());
    const sig = artifactTree(c).get("signature");
    try {
      return c.json(
        await verifySidecar(fabric, keys, {
          kind: input.kind,
          artifact,
          signature: sig === undefined ? undefined : toPlain(sig),
        }),
      );
    } catch (e) {
      return integrity400(c, e);
    }
  });
}
