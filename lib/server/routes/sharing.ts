/**
 * Sharing routes (memoryOSS §2.4), over `lib/sharing`:
 *
 *   POST   /v1/admin/sharing/create {name, webhook_url?}          admin of `name`
 *   GET    /v1/admin/sharing/list                                 shares of the key's namespaces
 *   DELETE /v1/admin/sharing/{name}
 *   POST   /v1/admin/sharing/{name}/grants/add {grantee_namespace, permission:"read", expires_at?}
 *   GET    /v1/admin/sharing/{name}/grants/list
 *   DELETE /v1/admin/sharing/{name}/grants/{grant_id}
 *   GET    /v1/sharing/accessible                                 any role: what the key may read
 *
 * A grant makes the shared namespace readable (recall, memories, export) for keys bound to the
 * grantee namespace, never writable. Webhooks to private or loopback targets are refused
 * unless the server allows them (`allowPrivateWebhooks`).
 */
import { Hono } from "hono";
import { resolveNamespace } from "../../auth/mod.ts";
import { MemoryossError } from "../../errors/mod.ts";
import { parseInput } from "../../memory/mod.ts";
import {
  addGrant,
  addShare,
  checkWebhookUrl,
  deliverWebhook,
  GrantInputSchema,
  ShareInputSchema,
} from "../../sharing/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput } from "./_helpers.ts";

/** `/v1/admin/sharing/*`, mounted under `/v1/admin/sharing`. */
export function sharingAdminRoutes(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.use("*", requireRole("admin"));
  shareRoutes(r, state);
  grantRoutes(r, state);
  return r;
}

/** The share `name`, which must be one of the caller's namespaces (404 otherwise). */
async function ownShare(
  state: ServerState,
  p: Parameters<typeof resolveNamespace>[0],
  name: string,
) {
  try {
    resolveNamespace(p, name);
  } catch {
    throw new MemoryossError("NOT_FOUND", `no shared namespace '${name}'`, ["name"]);
  }
  return (await state.sharing).get(name);
}

/** Create, list and delete shared namespaces. */
function shareRoutes(r: Hono<AppEnv>, state: ServerState): void {
  const { rt, queue } = state;
  const reg = () => state.sharing;
  r.post("/create", async (c) => {
    const p = c.get("principal");
    const input = parseInput(ShareInputSchema, body(c));
    resolveNamespace(p, input.name, ["name"]);
    const url = input.webhook_url
      ? (await checkWebhookUrl(input.webhook_url, state.allowPrivateWebhooks)).href
      : null;
    const registry = await reg();
    // memoryOSS's per-owner cap: the shares among the creating key's namespaces.
    const cap = {
      max: rt.config.sharing.max_shared_namespaces,
      owned: (n: string) => p.namespaces === "*" || p.namespaces.includes(n),
      owner: p.namespaces === "*" ? "*" : p.namespaces.join(","),
    };
    const share = await queue.run(() =>
      registry.edit((f) =>
        addShare(f, { name: input.name, webhook_url: url }, p.sub, rt.now(), cap)
      )
    );
    return c.json(share);
  });

  r.get("/list", async (c) => {
    queryInput(c, {});
    const p = c.get("principal");
    const shares = (await reg()).shares().filter((s) =>
      p.namespaces === "*" || p.namespaces.includes(s.name)
    );
    return c.json({ shared_namespaces: shares });
  });

  r.delete("/:name", async (c) => {
    const name = c.req.param("name");
    await ownShare(state, c.get("principal"), name);
    const registry = await reg();
    await queue.run(() =>
      registry.edit((f) => {
        f.shares = f.shares.filter((s) => s.name !== name);
      })
    );
    return c.json({ deleted: true, name });
  });
}

/** Add, list and revoke the read-only grants of one shared namespace. */
function grantRoutes(r: Hono<AppEnv>, state: ServerState): void {
  const { rt, queue } = state;
  const reg = () => state.sharing;
  r.post("/:name/grants/add", async (c) => {
    const p = c.get("principal");
    const name = c.req.param("name");
    await ownShare(state, p, name);
    const input = parseInput(GrantInputSchema, body(c));
    const registry = await reg();
    const grant = await queue.run(() =>
      registry.edit((f) => addGrant(f, name, input, p.sub, rt.now(), rt.config.sharing.max_grants))
    );
    return c.json({ shared_namespace: name, ...grant });
  });

  r.get("/:name/grants/list", async (c) => {
    queryInput(c, {});
    const share = await ownShare(state, c.get("principal"), c.req.param("name"));
    return c.json({ shared_namespace: share.name, grants: share.grants });
  });

  r.delete("/:name/grants/:grant_id", async (c) => {
    const name = c.req.param("name");
    const id = c.req.param("grant_id");
    const share = await ownShare(state, c.get("principal"), name);
    if (!share.grants.some((g) => g.grant_id === id)) {
      throw new MemoryossError("NOT_FOUND", `no grant ${id} on '${name}'`, ["grant_id"]);
    }
    const registry = await reg();
    await queue.run(() =>
      registry.edit((f) => {
        const s = f.shares.find((x) => x.name === name)!;
        s.grants = s.grants.filter((g) => g.grant_id !== id);
      })
    );
    return c.json({ revoked: true, grant_id: id, shared_namespace: name });
  });
}

/** `GET /v1/sharing/accessible`, mounted under `/v1`. */
export function sharingRoutes(state: ServerState): Hono<AppEnv> {
  const r = new Hono<AppEnv>();
  r.get("/sharing/accessible", requireRole("reader"), async (c) => {
    queryInput(c, {});
    const p = c.get("principal");
    const registry = await state.sharing;
    const mine = p.namespaces === "*" ? [] : p.namespaces;
    return c.json({
      namespaces: p.namespaces,
      accessible: registry.accessible(mine, state.rt.now()),
    });
  });
  return r;
}

/**
 * Tells the webhooks of shared namespaces about stored memories (after the response, never
 * failing the store; failures are logged).
 */
export function announceStores(
  state: ServerState,
  stored: { namespace: string; id: string }[],
): void {
  if (stored.length === 0 || !state.sharingEnabled) return; // `[sharing] enabled = false`
  void (async () => {
    const registry = await state.sharing;
    for (const { namespace, id } of stored) {
      const url = registry.shares().find((s) => s.name === namespace)?.webhook_url;
      if (!url) continue;
      const r = await deliverWebhook(
        url,
        { shared_namespace: namespace, memory_id: id },
        state.allowPrivateWebhooks,
        state.rt.now(),
      );
      if (!r.ok) {
        state.log("warn", `sharing webhook for ${namespace}: ${r.error ?? `HTTP ${r.status}`}`);
      }
    }
  })().catch((e) => state.log("warn", `sharing webhook: ${(e as Error).message}`));
}
