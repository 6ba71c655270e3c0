/**
 * The chat clients against fake providers on 127.0.0.1 speaking the real wire formats
 * (tests/llm/_fakes.ts): OpenAI-compatible and OpenRouter chat completions, Anthropic
 * Messages, each as one JSON body and as server-sent events; errors become LlmError and never
 * show the key. Settings come from memman's MEMMAN_LLM_* spelling or `[llm]`.
 */
import assert from "node:assert/strict";
import { validateConfig } from "../../lib/config/mod.ts";
import {
  chatComplete,
  type ChatSettings,
  LlmError,
  resolveLlmSettings,
} from "../../lib/llm/mod.ts";
import { fakeProvider } from "./_fakes.ts";

const MESSAGES = [
  { role: "system" as const, content: "Answer JSON." },
  { role: "user" as const, content: "Is the sky blue?" },
];
const ANSWER = '{"answer": "yes, on a clear day", "confidence": 0.9}';

for (const stream of [false, true]) {
  const how = stream ? "SSE" : "JSON";

  Deno.test(`llm: OpenAI-compatible chat completions (${how})`, async () => {
    await using llm = fakeProvider("openai", () => ({ text: ANSWER }));
    const s: ChatSettings = {
      baseUrl: `${llm.origin}/v1/`,
      model: "gpt-4o-mini",
      apiKey: "sk-openai-secret",
      timeoutMs: 5000,
      stream,
    };
    assert.equal(await chatComplete(s, MESSAGES), ANSWER);
    const req = llm.seen[0];
    assert.equal(req.path, "/v1/chat/completions");
    assert.equal(req.headers.get("authorization"), "Bearer sk-openai-secret");
    assert.deepEqual(req.body.messages, MESSAGES);
    assert.equal(req.body.model, "gpt-4o-mini");
    assert.equal(req.body.stream, stream);
    assert.equal("provider" in req.body, false, "no OpenRouter routing for plain OpenAI");
  });

  Deno.test(`llm: OpenRouter from memman's variables: routing and title (${how})`, async () => {
    await using llm = fakeProvider("openai", () => ({ text: ANSWER }));
    const env: Record<string, string> = {
      MEMMAN_LLM_PROVIDER: "openrouter",
      MEMMAN_OPENROUTER_ENDPOINT: `${llm.origin}/api/v1`,
      OPENROUTER_API_KEY: "sk-or-secret",
      MEMMAN_LLM_MODEL_FAST: "anthropic/claude-haiku-4.5",
      MEMMAN_LLM_PROVIDER_ONLY: "amazon-bedrock, azure",
      MEMMAN_LLM_DATA_COLLECTION: "DENY",
      MEMMAN_LLM_ZDR: "true",
    };
    const s = resolveLlmSettings(validateConfig({}, "test"), "fast", (k) => env[k])!;
    assert.ok(s, "MEMMAN_LLM_PROVIDER turns the model on");
    assert.equal(await chatComplete({ ...s, stream }, MESSAGES), ANSWER);
    const req = llm.seen[0];
    assert.equal(req.path, "/api/v1/chat/completions");
    assert.equal(req.headers.get("authorization"), "Bearer sk-or-secret");
    assert.equal(req.headers.get("x-title"), "memoryoss");
    assert.equal(req.body.model, "anthropic/claude-haiku-4.5");
    assert.deepEqual(req.body.provider, {
      only: ["amazon-bedrock", "azure"],
      data_collection: "deny",
      zdr: true,
    });
  });

  Deno.test(`llm: Anthropic Messages (${how})`, async () => {
    await using llm = fakeProvider("anthropic", () => ({ text: ANSWER }));
    const config = validateConfig({
      llm: { enabled: true, provider: "anthropic", base_url: `${llm.origin}/v1`, stream },
    }, "test");
    const env: Record<string, string> = { ANTHROPIC_API_KEY: "sk-ant-secret" };
    const s = resolveLlmSettings(config, "slow_canonical", (k) => env[k])!;
    assert.equal(s.model, "claude-haiku-4-5-20251001", "the provider's default model");
    assert.equal(await chatComplete(s, MESSAGES), ANSWER);
    const req = llm.seen[0];
    assert.equal(req.path, "/v1/messages");
    assert.equal(req.headers.get("x-api-key"), "sk-ant-secret");
    assert.equal(req.headers.get("anthropic-version"), "2023-06-01");
    assert.equal(req.headers.get("authorization"), null);
    assert.equal(req.body.system, "Answer JSON.");
    assert.deepEqual(req.body.messages, [{ role: "user", content: "Is the sky blue?" }]);
    assert.equal(typeof req.body.max_tokens, "number");
    assert.equal(req.body.stream, stream);
  });
}

Deno.test("llm: HTTP errors are LlmError('http') and never show the key", async () => {
  for (const wire of ["openai", "anthropic"] as const) {
    await using llm = fakeProvider(wire, () => ({ status: 500 }));
    const s: ChatSettings = {
      provider: wire,
      baseUrl: `${llm.origin}/v1`,
      model: "m",
      apiKey: "sk-never-shown",
      timeoutMs: 5000,
    };
    const err = await chatComplete(s, MESSAGES).then(() => null, (e) => e);
    assert.ok(err instanceof LlmError, `${wire}: ${err}`);
    assert.equal(err.kind, "http");
    assert.match(err.message, /HTTP 500/);
    assert.doesNotMatch(err.message, /sk-never-shown/);
  }
});

Deno.test("llm: an error in the middle of a stream fails the call", async () => {
  for (const wire of ["openai", "anthropic"] as const) {
    await using llm = fakeProvider(wire, () => ({ text: ANSWER, midStreamError: true }));
    const s: ChatSettings = {
      provider: wire,
      baseUrl: `${llm.origin}/v1`,
      model: "m",
      timeoutMs: 5000,
      stream: true,
    };
    const err = await chatComplete(s, MESSAGES).then(() => null, (e) => e);
    assert.ok(err instanceof LlmError, `${wire}: ${err}`);
    assert.match(err.message, wire === "anthropic" ? /overloaded_error/ : /went away/);
  }
});

Deno.test("llm: no [llm] and no MEMMAN_LLM_* means no model; a bad provider name is exit-3", () => {
  const config = validateConfig({}, "test");
  assert.equal(resolveLlmSettings(config, "fast", () => undefined), null);
  const env: Record<string, string> = { MEMMAN_LLM_PROVIDER: "gemini" };
  assert.throws(
    () => resolveLlmSettings(config, "fast", (k) => env[k]),
    /MEMMAN_LLM_PROVIDER: expected openai, openrouter, anthropic, got 'gemini'/,
  );
});

Deno.test("llm: MEMMAN_LLM_ENDPOINT on openrouter.ai means OpenRouter, elsewhere OpenAI", () => {
  const config = validateConfig({}, "test");
  const at = (url: string) =>
    resolveLlmSettings(
      config,
      "slow_canonical",
      (k) => k === "MEMMAN_LLM_ENDPOINT" ? url : undefined,
    )!;
  assert.equal(at("https://openrouter.ai/api/v1").provider, "openrouter");
  assert.equal(at("http://127.0.0.1:11434/v1").provider, "openai");
  assert.equal(at("http://127.0.0.1:11434/v1").baseUrl, "http://127.0.0.1:11434/v1");
});
