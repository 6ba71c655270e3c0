import assert from "node:assert/strict";
import { createEmbedder } from "../../lib/embed/mod.ts";
import { createBuiltinEmbedder } from "../../lib/embed/builtin.ts";

Deno.test("builtin via createEmbedder (table loaded on first embed): same id, dim and vectors", async () => {
  const lazy = await createEmbedder({ provider: "builtin" });
  const eager = await createBuiltinEmbedder();
  assert.equal(lazy.id, "builtin:glove50k-sif-ng256@1");
  assert.equal(lazy.dim, 356); // 100 GloVe dimensions + 256 hashed
  assert.equal(lazy.id, eager.id);
  assert.equal(lazy.dim, eager.dim);
  const texts = ["User prefers tabs over spaces", "reciever enviroment", "k8s cfg", "", "🎉"];
  const [a, b] = [await lazy.embed(texts), await eager.embed(texts)];
  assert.deepEqual(a, b);
  assert.deepEqual(await lazy.embed(texts.slice(0, 1)), b.slice(0, 1)); // second call, loaded
});
