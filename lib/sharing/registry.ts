/**
 * Shared namespaces (memoryOSS `[sharing]`, §2.4), kept in `<home>/sharing.json`. A share
 * names one namespace of its owner; each grant lets keys bound to another namespace READ it
 * (recall, list, export). A share is never writable through a grant: memoryOSS's `write` and
 * `admin` permissions are refused, so a grantee can never change what it reads.
 *
 * Pure functions over the file's content plus `readSharing`/`writeSharing`; the server keeps
 * one {@link SharingRegistry} and serialises its edits.
 *
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";

export const SHARING_FILE = "sharing.json";
export const SHARING_FORMAT = "memoryoss.sharing.v1";

const Namespace = z.string().min(1).max(128).regex(
  /^[\p{L}\p{N}_-]+$/u,
  "letters, digits, _ and -",
);

export const Grant = z.object({
  grant_id: z.string(),
  grantee_namespace: Namespace,
  permission: z.literal("read"),
  expires_at: z.string().nullable().default(null),
  created_at: z.string(),
  created_by: z.string().nullable().default(null),
});
export type Grant = z.infer<typeof Grant>;

export const Share = z.object({
  name: Namespace,
  webhook_url: z.string().nullable().default(null),
  created_at: z.string(),
  created_by: z.string().nullable().default(null),
  grants: z.array(Grant).default([]),
});
export type Share = z.infer<typeof Share>;

const SharingFile = z.object({
  format: z.literal(SHARING_FORMAT).default(SHARING_FORMAT),
  shares: z.array(Share).default([]),
});
export type SharingFile = z.infer<typeof SharingFile>;

/** `POST …/grants/add` body (memoryOSS field names). */
export const GrantInputSchema = z.strictObject({
  grantee_namespace: Namespace,
  permission: z.enum(["read", "write", "admin"]).default("read"),
  tag_filter: z.array(z.string()).optional(),
  agent_filter: z.string().optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
});

/** `POST /v1/admin/sharing/create` body. */
export const ShareInputSchema = z.strictObject({
  name: Namespace,
  webhook_url: z.url({ protocol: /^https?$/ }).optional(),
});

/**
 * Reads `<home>/sharing.json` (missing: no shares).
 *
 * @example
 * ```ts
 * (await readSharing(home)).shares.length;
 * ```
 */
export async function readSharing(home: string): Promise<SharingFile> {
  const path = join(home, SHARING_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { format: SHARING_FORMAT, shares: [] };
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message}`);
  }
  const r = SharingFile.safeParse(JSON.parse(text));
  if (!r.success) {
    const i = r.error.issues[0];
    throw new MemoryossError("INVALID_CONFIG", `${path}: ${i.path.join(".")}: ${i.message}`);
  }
  return r.data;
}

/** Writes the file atomically (mode 0600: it names namespaces and webhook URLs). */
export async function writeSharing(home: string, file: SharingFile): Promise<void> {
  const path = join(home, SHARING_FILE);
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(tmp, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  await Deno.rename(tmp, path);
}

const notFound = (name: string) =>
  new MemoryossError("NOT_FOUND", `no shared namespace '${name}'`, ["name"]);

/** The in-memory registry a server keeps (loaded once, written through). */
export class SharingRegistry {
  #file: SharingFile;
  readonly home: string;

  private constructor(home: string, file: SharingFile) {
    this.home = home;
    this.#file = file;
  }

  /** Loads `<home>/sharing.json`. */
  static async open(home: string): Promise<SharingRegistry> {
    return new SharingRegistry(home, await readSharing(home));
  }

  /** Every share (a copy). */
  shares(): Share[] {
    return structuredClone(this.#file.shares);
  }

  /** The share named `name`, or NOT_FOUND. */
  get(name: string): Share {
    const s = this.#file.shares.find((x) => x.name === name);
    if (!s) throw notFound(name);
    return structuredClone(s);
  }

  /** Namespaces readable through unexpired grants to any of `namespaces`. */
  readableBy(namespaces: readonly string[], now: Date): string[] {
    const out = new Set<string>();
    for (const s of this.#file.shares) {
      if (s.grants.some((g) => namespaces.includes(g.grantee_namespace) && live(g, now))) {
        out.add(s.name);
      }
    }
    return [...out].filter((n) => !namespaces.includes(n)).sort();
  }

  /** Grants (with their share) held by any of `namespaces`. */
  accessible(namespaces: readonly string[], now: Date) {
    return this.#file.shares.flatMap((s) =>
      s.grants.filter((g) => namespaces.includes(g.grantee_namespace) && live(g, now))
        .map((g) => ({ shared_namespace: s.name, ...g }))
    );
  }

  /** Applies `change` to a copy, writes it, then adopts it. */
  async edit<T>(change: (f: SharingFile) => T): Promise<T> {
    const next = structuredClone(this.#file);
    const out = change(next);
    await writeSharing(this.home, next);
    this.#file = next;
    return out;
  }
}

function live(g: Grant, now: Date): boolean {
  return g.expires_at === null || Date.parse(g.expires_at) > now.getTime();
}

/** memoryOSS's per-owner cap: `max` shares among the names `owned` says are the owner's. */
export interface ShareCap {
  max: number;
  /** Whether a share belongs to the owner (its name is one of the creating key's namespaces). */
  owned: (name: string) => boolean;
  /** The owner as messages name it (the key's namespaces). */
  owner: string;
}

/**
 * Adds a share to `file` (CONFLICT when it exists; INVALID_INPUT once the owner has
 * `cap.max` shares, memoryOSS's `[sharing] max_shared_namespaces`).
 *
 * @example
 * ```ts
 * addShare(file, { name: "team", webhook_url: null }, "key1", new Date(), {
 *   max: 10,
 *   owned: () => true,
 *   owner: "team",
 * });
 * ```
 */
export function addShare(
  file: SharingFile,
  o: { name: string; webhook_url: string | null },
  by: string | null,
  now: Date,
  cap: ShareCap,
): Share {
  if (file.shares.some((s) => s.name === o.name)) {
    throw new MemoryossError("CONFLICT", `namespace '${o.name}' is already shared`, ["name"]);
  }
  if (file.shares.filter((s) => cap.owned(s.name)).length >= cap.max) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `owner '${cap.owner}' has reached the maximum of ${cap.max} shared namespaces ` +
        "([sharing] max_shared_namespaces)",
      ["name"],
    );
  }
  const share: Share = { ...o, created_at: now.toISOString(), created_by: by, grants: [] };
  file.shares.push(share);
  return share;
}

/**
 * Adds a read grant. `write` and `admin` are refused: a shared namespace is never writable
 * through a grant. Tag and agent filters are refused too (not enforced here yet, so accepting
 * them would promise a narrower share than the grantee gets). At most `max` grants per share
 * (memoryOSS's `[sharing] max_grants`).
 */
export function addGrant(
  file: SharingFile,
  name: string,
  input: z.infer<typeof GrantInputSchema>,
  by: string | null,
  now: Date,
  max: number,
): Grant {
  const share = file.shares.find((s) => s.name === name);
  if (!share) throw notFound(name);
  if (input.permission !== "read") {
    throw new MemoryossError(
      "INVALID_INPUT",
      `permission '${input.permission}': a shared namespace is read-only for its grantees`,
      ["permission"],
    );
  }
  for (const f of ["tag_filter", "agent_filter"] as const) {
    if (input[f] !== undefined) {
      throw new MemoryossError(
        "INVALID_INPUT",
        `${f} is not supported: a grant shares the whole namespace`,
        [f],
      );
    }
  }
  if (input.grantee_namespace === name) {
    throw new MemoryossError("INVALID_INPUT", "a namespace cannot be shared with itself", [
      "grantee_namespace",
    ]);
  }
  if (share.grants.length >= max) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `maximum grants (${max}) reached ([sharing] max_grants)`,
      ["grantee_namespace"],
    );
  }
  const grant: Grant = {
    grant_id: crypto.randomUUID(),
    grantee_namespace: input.grantee_namespace,
    permission: "read",
    expires_at: input.expires_at ?? null,
    created_at: now.toISOString(),
    created_by: by,
  };
  share.grants.push(grant);
  return grant;
}
