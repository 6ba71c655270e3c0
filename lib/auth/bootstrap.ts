/**
 * First start: when no API key exists, create an owner key (admin, every namespace), save it
 * to `<home>/admin.key` (mode 0600) and hand it back once so `serve` can print it.
 */
import { join } from "node:path";
import type { Store } from "../store/mod.ts";
import { createApiKey } from "./keys.ts";

/** The admin key file under a home folder. */
export function adminKeyPath(home: string): string {
  return join(home, "admin.key");
}

/** What {@link ensureAdminKey} did. */
export interface BootstrapResult {
  created: boolean;
  path: string;
  /** The secret, only when just created. */
  key?: string;
  key_id?: string;
}

/**
 * Create the owner key unless any key exists.
 *
 * @example
 * ```ts
 * const b = await ensureAdminKey(rt.store, rt.loaded.home);
 * if (b.created) console.log(`admin API key: ${b.key} (saved to ${b.path})`);
 * ```
 */
export async function ensureAdminKey(
  store: Store,
  home: string,
  now: Date = new Date(),
): Promise<BootstrapResult> {
  const path = adminKeyPath(home);
  const made = await createApiKey(
    store,
    {
      role: "admin",
      namespaces: "*",
      label: "owner (created on first start)",
    },
    now,
    true,
  );
  if (!made) return { created: false, path };
  await Deno.remove(path).catch(() => {});
  await Deno.writeTextFile(path, `${made.key}\n`, { mode: 0o600, createNew: true });
  try {
    await Deno.chmod(path, 0o600);
  } catch { /* not supported on Windows; the home folder is per-user there */ }
  return { created: true, path, key: made.key, key_id: made.info.key_id };
}
