/**
 * Portability routes (memoryOSS §5): passport export/import, signed bundle export, bundle
 * preview/validate (the offline reader's view, with trust from `<home>/trust.json`) and a
 * memory's history. Same roles and namespace rules as the memory routes.
 *
 * Artifacts are hashed byte-exactly, number lexemes included (`1.0` is not `1`), so these
 * routes read their body themselves: the same size cap, UTF-8 and object checks as every
 * route, plus a lossless parse of the artifact fields. Mount them before the generic `/v1/*`
 * body guard; authentication and the per-key rate limit are applied here.
 *
 * Paths: POST /v1/passport/export, /v1/passport/import, /v1/bundle/export, /v1/bundle/preview,
 * /v1/bundle/validate; GET /v1/history/:id. memoryOSS spellings are aliases: GET
 * /v1/passport/export, GET /v1/history/:id/bundle, GET /v1/bundles/export, POST
 * /v1/bundles/preview|validate. POST /v1/bundles/diff `{left, right}` (`bundle diff`) and POST
 * /v1/history/replay `{bundle, namespace?, dry_run}` (`history replay`; 400 when the target
 * namespace is not empty, as memoryOSS).
 *
 * Signatures are decided by the same `admission` as the CLI, against the server home's
 * `trust.json` and own key: a signature that does not verify, or a revoked key, is 403 FORBIDDEN
 * with the reason (validate and preview too); an import that writes (`mode: "apply"`) an
 * untrusted artifact is 403 unless `allow_untrusted: true`.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { resolveNamespace } from "../../auth/mod.ts";
import { MemoryossError } from "../../errors/mod.ts";
import { parseInput, requireMemoryIn } from "../../memory/mod.ts";
import {
  admission,
  artifactText,
  BundleExportInput,
  diffArtifacts,
  exportBundle,
  exportHistory,
  exportPassport,
  homeTrust,
  importPassportChecked,
  innerArtifact,
  isJsonObject,
  type JsonValue,
  openArtifact,
  PassportExportInput,
  prettyJson,
  replayHistory,
  showHistory,
  validationReport,
} from "../../portable/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { body, queryInput } from "./_helpers.ts";
import { artifactField, artifactRoute, artifactTree, integrity400 } from "./_artifact_body.ts";

const PassportImportBody = z.strictObject({
  namespace: z.string().min(1).optional(),
  passport: z.unknown().optional(),
  /** memoryOSS name of the same field. */
  bundle: z.unknown().optional(),
  dry_run: z.boolean().optional(),
  mode: z.enum(["plan", "apply"]).optional(),
  /** Write an intact artifact that is unsigned or not signed by a trusted key. */
  allow_untrusted: z.boolean().optional(),
});

const BundleViewBody = z.strictObject({
  bundle: z.unknown(),
  require_trusted: z.boolean().optional(),
});

const BundleDiffBody = z.strictObject({ left: z.unknown(), right: z.unknown() });

const ReplayBody = z.strictObject({
  namespace: z.string().min(1).optional(),
  bundle: z.unknown().optional(),
  /** Our name of the same field. */
  history: z.unknown().optional(),
  dry_run: z.boolean().optional(),
  allow_untrusted: z.boolean().optional(),
});

const artifactResponse = (c: Context<AppEnv>, tree: JsonValue) =>
  c.body(artifactText(tree), 200, { "content-type": "application/json" });

/** The guards of an artifact route: authentication, rate limit, lossless body, the role. */
type Guards = { reader: MiddlewareHandler<AppEnv>; writer: MiddlewareHandler<AppEnv> };

/** The portability routes, mounted under `/v1` before the generic body guard. */
export function portableRoutes(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  const guards = { reader: artifactRoute(state, "reader"), writer: artifactRoute(state, "writer") };
  passportRoutes(r, state, guards);
  bundleRoutes(r, state, guards);
  historyRoutes(r, state, guards);
  return r;
}

/**
 * The namespace an imported or replayed artifact goes to: the request's, else the artifact's
 * own, confined to the caller's namespaces.
 */
function artifactNamespace(c: Context<AppEnv>, tree: JsonValue, given?: string): string {
  const inner = innerArtifact(tree);
  const own = isJsonObject(inner) ? inner.get("namespace") : undefined;
  return resolveNamespace(c.get("principal"), given ?? (typeof own === "string" ? own : undefined));
}

/** `/passport/export` (POST, or GET with a query) and `/passport/import`. */
function passportRoutes(r: Hono<AppEnv>, state: ServerState, { reader, writer }: Guards): void {
  const { rt, queue } = state;
  const passportExport = (c: Context<AppEnv>, raw: unknown) => {
    const input = parseInput(PassportExportInput, raw);
    const namespace = resolveNamespace(c.get("principal"), input.namespace);
    return artifactResponse(c, exportPassport(rt, { namespace, scope: input.scope }));
  };
  r.post("/passport/export", reader, (c) => passportExport(c, body(c)));
  r.get(
    "/passport/export",
    reader,
    (c) => passportExport(c, queryInput(c, { namespace: "string", scope: "string" })),
  );

  r.post("/passport/import", writer, async (c) => {
    const input = parseInput(PassportImportBody, body(c));
    if (input.mode !== undefined && input.dry_run !== undefined) {
      if ((input.mode === "plan") !== input.dry_run) {
        throw new MemoryossError("INVALID_INPUT", "dry_run and mode disagree", ["mode"]);
      }
    }
    const dryRun = input.dry_run ?? (input.mode ? input.mode === "plan" : true);
    const tree = artifactField(c, ["passport", "bundle"]);
    const namespace = artifactNamespace(c, tree, input.namespace);
    try {
      const run = () =>
        importPassportChecked(rt, tree, {
          namespace,
          dryRun,
          allowUntrusted: input.allow_untrusted === true,
          flag: "allow_untrusted: true",
          hmacSecret: rt.config.auth.audit_hmac_secret || undefined,
        });
      return c.json(dryRun ? await run() : await queue.run(run));
    } catch (e) {
      return integrity400(c, e);
    }
  });
}

/** `/bundle/export` (and GET `/bundles/export`), preview, validate and `/bundles/diff`. */
function bundleRoutes(r: Hono<AppEnv>, state: ServerState, { reader }: Guards): void {
  const { rt } = state;
  const bundleExport = async (c: Context<AppEnv>, raw: unknown) => {
    const input = parseInput(BundleExportInput, raw);
    const p = c.get("principal");
    let namespace = input.namespace === undefined
      ? undefined
      : resolveNamespace(p, input.namespace);
    if (input.kind === "history") {
      if (!input.id) {
        throw new MemoryossError("INVALID_INPUT", "id: required for a history bundle", ["id"]);
      }
      namespace = requireMemoryIn(rt, input.id, p.namespaces, namespace).record.namespace;
    } else namespace = resolveNamespace(p, namespace);
    const env = await exportBundle(rt, {
      ...input,
      namespace,
      hmacSecret: rt.config.auth.audit_hmac_secret || undefined,
    });
    return artifactResponse(c, env);
  };
  r.post("/bundle/export", reader, (c) => bundleExport(c, body(c)));
  r.get("/bundles/export", reader, (c) =>
    bundleExport(
      c,
      queryInput(c, {
        kind: "string",
        namespace: "string",
        scope: "string",
        id: "string",
        sign: "string",
      }),
    ));

  /** The reader's document for the request's `bundle`, with trust from the home. */
  const openBundle = async (c: Context<AppEnv>) => {
    const input = parseInput(BundleViewBody, body(c));
    const tree = artifactTree(c).get("bundle");
    // a string is given to the reader as is (it reports what does not parse)
    const text = typeof tree === "string" ? tree : prettyJson(artifactField(c, ["bundle"]));
    const trust = await homeTrust(rt.loaded.home, rt.config.auth.audit_hmac_secret || undefined);
    const doc = await openArtifact("request.bundle", text, trust);
    return { doc, requireTrusted: input.require_trusted === true };
  };
  /** What the CLI exits 5 for: 403 with the reason, and the full answer beside the error. */
  const forbidden = (c: Context<AppEnv>, message: string, report: unknown) =>
    c.json({ error: { code: "FORBIDDEN", message, path: [] }, report }, 403);
  for (const base of ["/bundle", "/bundles"]) {
    r.post(`${base}/preview`, reader, async (c) => {
      const { doc } = await openBundle(c);
      const a = admission(doc);
      return a.verdict === "rejected" ? forbidden(c, a.message, doc) : c.json(doc);
    });
    r.post(`${base}/validate`, reader, async (c) => {
      const { doc, requireTrusted } = await openBundle(c);
      const report = validationReport(doc, requireTrusted);
      return report.exit_code === 5 ? forbidden(c, report.message, report) : c.json(report);
    });
  }

  r.post("/bundles/diff", reader, (c) => {
    parseInput(BundleDiffBody, body(c));
    return c.json(diffArtifacts(artifactField(c, ["left"]), artifactField(c, ["right"])));
  });
}

/** `/history/replay`, `/history/:id` and its bundle. */
function historyRoutes(r: Hono<AppEnv>, state: ServerState, { reader, writer }: Guards): void {
  const { rt, queue } = state;
  r.post("/history/replay", writer, async (c) => {
    const input = parseInput(ReplayBody, body(c));
    const tree = artifactField(c, ["bundle", "history"]);
    const namespace = artifactNamespace(c, tree, input.namespace);
    const dryRun = input.dry_run === true;
    try {
      const run = () =>
        replayHistory(rt, tree, {
          namespace,
          dryRun,
          allowUntrusted: input.allow_untrusted === true,
          flag: "allow_untrusted: true",
        });
      return c.json(dryRun ? await run() : await queue.run(run));
    } catch (e) {
      return integrity400(c, e, true);
    }
  });

  const memoryIn = (c: Context<AppEnv>) => {
    const p = c.get("principal");
    const q = queryInput(c, { namespace: "string" });
    const ns = typeof q.namespace === "string" ? resolveNamespace(p, q.namespace) : undefined;
    return requireMemoryIn(rt, c.req.param("id")!, p.namespaces, ns).record;
  };
  r.get("/history/:id", reader, (c) => {
    const m = memoryIn(c);
    return c.json(showHistory(rt, m.id, m.namespace));
  });
  r.get("/history/:id/bundle", reader, (c) => {
    const m = memoryIn(c);
    return artifactResponse(c, exportHistory(rt, m.id, m.namespace));
  });
}
