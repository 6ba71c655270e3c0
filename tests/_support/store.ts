/**
 * A store in a fresh temp folder, closed and removed on dispose:
 * `await using t = await tempStore();`.
 */
import { Store } from "../../lib/store/mod.ts";

export async function tempStore(): Promise<
  { store: Store; dir: string } & AsyncDisposable
> {
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/m.db`);
  return {
    store,
    dir,
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
