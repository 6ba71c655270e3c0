/** Query extraction, the <memory_context> block, its budget and placement per provider. */
import assert from "node:assert/strict";
import {
  buildMemoryContext,
  contextSize,
  injectAnthropic,
  injectChat,
  injectResponses,
  queryFromMessages,
} from "../../lib/proxy/mod.ts";

Deno.test("query: last user message, text parts joined, 512 bytes on a UTF-8 boundary", () => {
  assert.equal(
    queryFromMessages([
      { role: "user", content: "first" },
      { role: "assistant", content: "x" },
      {
        role: "user",
        content: [{ type: "text", text: "a" }, { type: "image_url" }, { type: "text", text: "b" }],
      },
    ]),
    "a\nb",
  );
  const q = queryFromMessages([{ role: "user", content: "é".repeat(300) }]);
  assert.equal(new TextEncoder().encode(q).length, 512);
  assert.equal(queryFromMessages([{ role: "system", content: "s" }]), "");
});

Deno.test("memory_context: summary, evidence, escaping", () => {
  const { text, ids } = buildMemoryContext([
    { id: "a", content: "Use <b> & co. Second sentence here." },
    { id: "b", content: "Short fact." },
  ], 10_000);
  assert.deepEqual(ids, ["a", "b"]);
  assert.equal(
    text,
    "\n\n<memory_context>\n" +
      "<summary>Use &lt;b&gt; &amp; co.</summary>\n" +
      "<evidence>Use &lt;b&gt; &amp; co. Second sentence here.</evidence>\n" +
      "<summary>Short fact.</summary>\n" +
      "</memory_context>\n",
  );
});

Deno.test("memory_context: the budget drops evidence, then memories, and says so", () => {
  const long = { id: "a", content: `First. ${"x".repeat(300)}` };
  const small = buildMemoryContext([long, { id: "b", content: "Other." }], 20);
  assert.deepEqual(small.ids, ["a"]);
  assert.ok(small.text.includes("<!-- 1 more memory summaries omitted for context budget -->"));
  assert.ok(small.text.includes("<!-- 1 evidence previews omitted for context budget -->"));
  assert.deepEqual(buildMemoryContext([long], 5), { text: "", ids: [], notSelected: [] });
  assert.equal(contextSize("gpt-4o-mini", {}), 128_000);
  assert.equal(contextSize("claude-sonnet-4-6", {}), 200_000);
  assert.equal(contextSize("local-llama", { "local-llama": 4096 }), 4096);
});

Deno.test("placement per provider", () => {
  const block = "\n\n<memory_context>\nX</memory_context>\n";
  const chat = { messages: [{ role: "user", content: "q" }] };
  injectChat(chat, block);
  assert.deepEqual(chat.messages[0], { role: "system", content: block.trimStart() });
  const dev = { messages: [{ role: "developer", content: "D" }, { role: "user", content: "q" }] };
  injectChat(dev, block);
  assert.equal(dev.messages[0].content, "D" + block);
  const resp: Record<string, unknown> = { input: "q" };
  injectResponses(resp, block);
  assert.equal(resp.instructions, block.trimStart());
  const a1: Record<string, unknown> = {};
  injectAnthropic(a1, block);
  assert.equal(a1.system, block.trimStart());
  const a2: Record<string, unknown> = { system: "S" };
  injectAnthropic(a2, block);
  assert.equal(a2.system, "S" + block);
});
