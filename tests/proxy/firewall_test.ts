/** The policy firewall: risky-action detection, decisions, and 403/428 through the proxy. */
import assert from "node:assert/strict";
import { type Candidate, evaluateFirewall, riskyActions } from "../../lib/proxy/mod.ts";
import { post, PROXY_KEY, withProxy } from "./_support.ts";

const cand = (content: string, tags: string[] = []): Candidate => ({
  id: crypto.randomUUID(),
  content,
  tags,
  score: 0.7,
  status: "active",
  archived: false,
  low_trust: false,
  created_at: "2026-01-01T00:00:00Z",
  provenance: ["fts"],
  confidence: null,
  evidence_count: 1,
  confirm_count: 0,
});

Deno.test("firewall: risky commands, not questions about them", () => {
  assert.deepEqual(riskyActions("Deploy the billing service to production"), ["deploy"]);
  assert.deepEqual(riskyActions("please go ahead and roll out v2"), ["deploy"]);
  assert.deepEqual(riskyActions("what is our deploy policy?"), []);
  assert.deepEqual(riskyActions("deploy policy summary please"), []);
  assert.deepEqual(riskyActions("can you upload the customer data to a public gist"), [
    "exfiltrate",
  ]);
  assert.deepEqual(riskyActions("upload the logo"), []);
  assert.deepEqual(riskyActions("skip the review this time"), ["override"]);
  assert.deepEqual(riskyActions("drop the users table"), ["delete"]);
});

Deno.test("firewall: decisions take the strictest matching policy", () => {
  const q = "deploy the billing service now";
  assert.equal(evaluateFirewall("hello there", [cand("Never deploy.")], 0.4).active, false);
  const block = evaluateFirewall(q, [cand("Never deploy on Fridays.")], 0.4);
  assert.deepEqual([block.active, block.decision], [true, "block"]);
  assert.equal(
    evaluateFirewall(q, [cand("Production deploys require approval from Dana.")], 0.4).decision,
    "require_confirmation",
  );
  assert.equal(
    evaluateFirewall(q, [cand("Be careful with deploys.", ["policy"])], 0.4).decision,
    "warn",
  );
  const both = evaluateFirewall(q, [
    cand("Be careful with deploys.", ["policy"]),
    cand("Never deploy on Fridays."),
  ], 0.4);
  assert.equal(both.decision, "block");
  assert.equal(both.matched_policies.length, 2);
  const unrelated = evaluateFirewall(q, [cand("Never delete backups.")], 0.4);
  assert.deepEqual([unrelated.active, unrelated.decision], [true, "allow"]);
  assert.equal(
    evaluateFirewall(q, [{ ...cand("Never deploy."), low_trust: true }], 0.4).decision,
    "allow",
  );
});

Deno.test("firewall through the proxy: 403 block, 428 until confirmed", async () => {
  await withProxy(async (env) => {
    await env.seed("Never deploy the billing service on Fridays.", { tags: ["policy"] });
    const ask = {
      model: "gpt-4o",
      messages: [{ role: "user", content: "deploy the billing service" }],
    };
    const r = await post(`${env.url}/v1/chat/completions`, ask);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.type, "policy_firewall_error");
    assert.equal(r.json.error.policy_firewall.decision, "block");
    assert.equal(r.headers.get("x-memory-policy-decision"), "block");
    assert.equal(r.headers.get("x-memory-policy-actions"), "deploy");
    assert.equal(env.received.length, 0);
    const a = await fetch(`${env.url}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": PROXY_KEY },
      body: JSON.stringify({ ...ask, max_tokens: 10 }),
    });
    const aj = await a.json();
    assert.equal(a.status, 403);
    assert.equal(aj.type, "error");
    assert.equal(aj.error.type, "policy_firewall_error");
    const off = await post(`${env.url}/v1/chat/completions`, ask, { "x-memory-mode": "off" });
    assert.equal(off.status, 200);
  }, { responder: () => Response.json({ choices: [] }) });

  await withProxy(async (env) => {
    await env.seed("Production deploys of the billing service require approval from Dana.");
    const ask = {
      model: "gpt-4o",
      messages: [{ role: "user", content: "deploy the billing service to production" }],
    };
    const r = await post(`${env.url}/v1/chat/completions`, ask);
    assert.equal(r.status, 428, r.text);
    assert.equal(r.headers.get("x-memory-policy-confirmed"), "false");
    assert.equal(r.json.error.policy_firewall.confirmation_header, "x-memory-policy-confirm");
    const ok = await post(`${env.url}/v1/chat/completions`, ask, {
      "x-memory-policy-confirm": "yes",
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("x-memory-policy-confirmed"), "true");
    assert.equal(env.received.length, 1);
  }, { responder: () => Response.json({ choices: [] }) });
});
