/**
 * The exact-value parts of `<memory_context>` (memoryOSS §3.5): `<exact_value_hint>`,
 * `<runtime_contract>` and up to three `<exact_fact>` lines before the `<task_state>` or the
 * summaries. Expected blocks are written out by hand from the spec's format and memoryOSS's
 * texts (the hint sentence, the contract block's `export_carries` line, contract id
 * `memoryoss.runtime.v1alpha1` version `2026-03-13` from §5.1); the server test goes through a
 * real proxy on 127.0.0.1 to a fake upstream and reads the injection log with a reader key.
 */
import assert from "node:assert/strict";
import { buildMemoryContext, exactValueQuery, runtimeContractQuery } from "../../lib/proxy/mod.ts";
import { type Json, request, withServer } from "../server/_api_support.ts";

const HEAD = "\n\n<memory_context>\n";
const TAIL = "</memory_context>\n";
const HINT = "<exact_value_hint>When the user asks for an identifier, version, contract name, " +
  "endpoint, path, env var, hash, or carried field, copy the exact value verbatim from " +
  "&lt;runtime_contract&gt; or &lt;exact_fact&gt; blocks. Do not shorten, rename, or " +
  "paraphrase exact identifiers.</exact_value_hint>\n";
const CONTRACT = "<runtime_contract>\n<contract_id>memoryoss.runtime.v1alpha1</contract_id>\n" +
  "<version>2026-03-13</version>\n<export_carries>runtime_contract metadata with contract_id, " +
  "version, document_route, stable_semantics, and experimental_layers_excluded." +
  "</export_carries>\n</runtime_contract>\n";

Deno.test("exact-value and runtime-contract queries are told apart as memoryOSS does", () => {
  assert.equal(exactValueQuery("what is the exact endpoint for recall?"), true);
  assert.equal(exactValueQuery("which env var holds the key?"), true);
  assert.equal(exactValueQuery("how are you today?"), false);
  assert.equal(runtimeContractQuery("which runtime contract version do exports carry?"), true);
  assert.equal(runtimeContractQuery("what is the contract id we export?"), true);
  assert.equal(runtimeContractQuery("what is the exact endpoint?"), false);
  assert.equal(runtimeContractQuery("runtime contract"), false); // nothing asked of it
});

Deno.test("exact facts: the hint and matching literal sentences come before the summaries", () => {
  const mems = [
    { id: "m1", content: "Recall is served at /v1/recall on the core port. Clients retry twice." },
    { id: "m2", content: "The dashboard lives under /ui and needs a reader key." },
    { id: "m3", content: "The recall endpoint reads the MEMORYOSS_HOME folder." },
  ];
  const got = buildMemoryContext(mems, 10_000, "what is the exact endpoint for recall?");
  assert.equal(
    got.text,
    HEAD + HINT +
      "<exact_fact>Recall is served at /v1/recall on the core port.</exact_fact>\n" +
      "<exact_fact>The recall endpoint reads the MEMORYOSS_HOME folder.</exact_fact>\n" +
      "<summary>Recall is served at /v1/recall on the core port.</summary>\n" +
      "<evidence>Recall is served at /v1/recall on the core port. Clients retry twice." +
      "</evidence>\n" +
      "<summary>The dashboard lives under /ui and needs a reader key.</summary>\n" +
      "<summary>The recall endpoint reads the MEMORYOSS_HOME folder.</summary>\n" +
      TAIL,
  );
  assert.deepEqual(got.ids, ["m1", "m3", "m2"]);
  // A plain question gets no exact parts at all.
  const plain = buildMemoryContext(mems.slice(1, 2), 10_000, "where does the dashboard live?");
  assert.equal(
    plain.text,
    HEAD + "<summary>The dashboard lives under /ui and needs a reader key.</summary>\n" + TAIL,
  );
});

Deno.test("runtime contract query: hint, contract block, then a contract sentence", () => {
  const mems = [
    { id: "c1", content: "Exports embed the runtime contract metadata. The weather is nice." },
  ];
  const got = buildMemoryContext(mems, 10_000, "which runtime contract version do exports carry?");
  assert.equal(
    got.text,
    HEAD + HINT + CONTRACT +
      "<exact_fact>Exports embed the runtime contract metadata.</exact_fact>\n" +
      "<summary>Exports embed the runtime contract metadata.</summary>\n" +
      "<evidence>Exports embed the runtime contract metadata. The weather is nice.</evidence>\n" +
      TAIL,
  );
  assert.deepEqual(got.ids, ["c1"]);
  // Three facts at most; a duplicate sentence is not repeated; 220 characters at most.
  const long = "runtime_contract " + "x".repeat(260);
  const many = [
    { id: "a", content: "The runtime contract id is stable. The runtime contract id is stable." },
    { id: "b", content: "Version bumps need a new contract id" },
    { id: "c", content: long },
    { id: "d", content: "The contract version is pinned in exports." },
  ];
  const facts = buildMemoryContext(many, 10_000, "which runtime contract version is exported?")
    .text.match(/<exact_fact>.*<\/exact_fact>/g);
  assert.deepEqual(facts, [
    "<exact_fact>The runtime contract id is stable.</exact_fact>",
    "<exact_fact>Version bumps need a new contract id.</exact_fact>",
    `<exact_fact>${long.slice(0, 220)}...</exact_fact>`, // "..." already ends with ".",
  ]);
});

const D1 = {
  id: "d1",
  status: "active",
  content: "Staging deploys post to /v1/deploy on the ops_gate host.",
};
const D2 = {
  id: "d2",
  status: "active",
  content: "Production deploys must wait for staging approval.",
};
const D3 = { id: "d3", status: "candidate", content: "Canary runs on 5 percent of traffic." };
const D4 = { id: "d4", status: "active", content: "Deploys require the smoke checklist." };
const D5 = {
  id: "d5",
  status: "active",
  content: "Production deploys must pass the smoke checklist twice.",
};

Deno.test("exact facts then <task_state>; bucket-capped memories are reported as such", () => {
  const got = buildMemoryContext(
    [D1, D2, D3, D4, D5],
    10_000,
    "What is the exact staging deploy endpoint?",
  );
  assert.equal(
    got.text,
    HEAD + HINT +
      "<exact_fact>Staging deploys post to /v1/deploy on the ops_gate host.</exact_fact>\n" +
      '<task_state kind="deploy">\n' +
      "<goal>Compile the minimum safe deployment state for this task.</goal>\n" +
      "<facts>\n<fact>Deploys require the smoke checklist.</fact>\n</facts>\n" +
      "<constraints>\n" +
      "<constraint>Staging deploys post to /v1/deploy on the ops_gate host.</constraint>\n" +
      "<constraint>Production deploys must wait for staging approval.</constraint>\n" +
      "</constraints>\n" +
      "<open_questions>\n" +
      "<question>Confirm candidate memory before relying on it: Canary runs on 5 percent of " +
      "traffic.</question>\n" +
      "</open_questions>\n" +
      "<evidence>\n" +
      "<item>Staging deploys post to /v1/deploy on the ops_gate host.</item>\n" +
      "<item>Production deploys must wait for staging approval.</item>\n" +
      "<item>Canary runs on 5 percent of traffic.</item>\n" +
      "</evidence>\n" +
      "</task_state>\n" + TAIL,
  );
  assert.deepEqual(got.ids, ["d1", "d2", "d3", "d4"]);
  assert.deepEqual(got.notSelected, ["d5"]);
});

Deno.test("proxy: exact facts and <task_state> reach upstream; the log does not call the task state's memories over budget", async () => {
  let seen: Json = null;
  const fake = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    seen = await req.json();
    return Response.json({ choices: [{ message: { role: "assistant", content: "ok" } }] });
  });
  try {
    const config = `[proxy]
enabled = true
upstream_url = "http://127.0.0.1:${fake.addr.port}/v1"
key_mapping = [{ proxy_key = "pk-exact-0001", namespace = "ops" }]
confidence_gate = false
min_recall_score = 0.01
extraction_enabled = false
`;
    await withServer(async (s) => {
      const writer = await s.key("writer", ["ops"]);
      const ids: Record<string, string> = {};
      const mems = {
        c1: D1.content,
        c2: D2.content,
        c3: D5.content,
        f: "The ops_gate endpoint answers webhooks from GitHub on port 8443.",
      };
      for (const [name, content] of Object.entries(mems)) {
        const r = await s.req("POST", "/v1/store", {
          key: writer,
          body: { namespace: "ops", content },
        });
        assert.equal(r.status, 200, r.text);
        ids[r.json.id] = name;
      }
      const r = await request(`${s.url}/proxy/v1/chat/completions`, "POST", {
        key: "pk-exact-0001",
        body: {
          model: "gpt-4o",
          messages: [{
            role: "user",
            content: "What is the exact staging deploy endpoint on the ops_gate host?",
          }],
        },
      });
      assert.equal(r.status, 200, r.text);
      const sys = seen.messages[0];
      assert.equal(sys.role, "system");
      const text = sys.content as string;
      assert.ok(text.startsWith("<memory_context>\n" + HINT), text);
      assert.ok(
        text.includes(
          "<exact_fact>Staging deploys post to /v1/deploy on the ops_gate host.</exact_fact>\n",
        ),
        text,
      );
      assert.ok(
        text.includes(
          "<exact_fact>The ops_gate endpoint answers webhooks from GitHub on port 8443.</exact_fact>\n",
        ),
        text,
      );
      assert.ok(text.includes('<task_state kind="deploy">'), text);
      // Three constraints and one fact: two constraints and the fact go in, one constraint
      // stays out for the two-per-bucket cap (whichever ranks lowest).
      assert.equal(r.headers.get("x-memory-injected-count"), "3");

      const reader = await s.key("reader", ["ops"]);
      const log = await s.req("GET", "/v1/dashboard/injections", { key: reader });
      assert.equal(log.status, 200, log.text);
      const [e] = log.json.requests as Json[];
      const injected = e.injected.map((m: Json) => ids[m.id]).sort();
      assert.equal(injected.length, 3);
      assert.ok(injected.includes("f"), JSON.stringify(injected));
      assert.equal(e.gated_out.length, 1, JSON.stringify(e.gated_out));
      const [out] = e.gated_out;
      assert.ok(["c1", "c2", "c3"].includes(ids[out.id]) && !injected.includes(ids[out.id]));
      assert.equal(out.reason, "task_state_omitted");
      assert.ok(!log.text.includes("over_budget"), log.text);
      for (const m of e.injected) assert.ok(text.includes(mems[ids[m.id] as keyof typeof mems]));
    }, { config });
  } finally {
    await fake.shutdown();
  }
});
