/** The hook texts (pure) and `runHook` against a real temp home (in process). */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  hookOutput,
  parseTurn,
  primeContext,
  promptContext,
  runHook,
  stopReason,
  taskContext,
} from "../../lib/setup/mod.ts";
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime, storeMemory } from "../../lib/memory/mod.ts";
import { setupHome } from "./_support.ts";

const jl = (...recs: unknown[]) => recs.map((r) => JSON.stringify(r)).join("\n") + "\n";
const user = (content: unknown) => ({ type: "user", message: { role: "user", content } });
const assistant = (...blocks: unknown[]) => ({ type: "assistant", message: { content: blocks } });
const tool = (name: string) => ({ type: "tool_use", name, input: {} });

Deno.test("parseTurn reads the last turn of a transcript", () => {
  const cases: { name: string; tail: string; want: ReturnType<typeof parseTurn> }[] = [
    { name: "empty", tail: "", want: { stored: false, toolUses: 0, promptChars: 0 } },
    {
      name: "tools, no store",
      tail: jl(
        user("fix the build please"),
        assistant(tool("Bash")),
        user([{ type: "tool_result" }]),
        assistant(tool("Edit")),
      ),
      want: { stored: false, toolUses: 2, promptChars: 20 },
    },
    {
      name: "stored through MCP",
      tail: jl(
        user([{ type: "text", text: "remember: tabs" }]),
        assistant(tool("mcp__memoryoss__memoryoss_store")),
      ),
      want: { stored: true, toolUses: 1, promptChars: 14 },
    },
    {
      name: "earlier turns do not count",
      tail: jl(
        user("a"),
        assistant(tool("mcp__memoryoss__memoryoss_update")),
        user("next question here"),
      ),
      want: { stored: false, toolUses: 0, promptChars: 18 },
    },
    {
      name: "starts mid-line",
      tail: 'tent":"x"}}\n' + jl(user("hi")),
      want: { stored: false, toolUses: 0, promptChars: 2 },
    },
  ];
  for (const c of cases) assert.deepEqual(parseTurn(c.tail), c.want, c.name);
});

Deno.test("stopReason: once per turn, not after a store or a trivial exchange", () => {
  const t = (stored: boolean, toolUses: number, promptChars: number) => ({
    stored,
    toolUses,
    promptChars,
  });
  const cases: [boolean, ReturnType<typeof t> | null, boolean][] = [
    [true, t(false, 3, 100), false],
    [false, t(true, 3, 100), false],
    [false, t(false, 0, 10), false],
    [false, t(false, 0, 200), true],
    [false, t(false, 2, 5), true],
    [false, null, true],
  ];
  for (const [active, turn, want] of cases) {
    assert.equal(stopReason(active, turn) !== null, want, JSON.stringify([active, turn]));
  }
});

Deno.test("hook texts and Claude output shapes", () => {
  const m = [{ id: "m1", content: "Deploy   after\nsignoff.", score: 0.61 }];
  assert.match(
    promptContext(m),
    /^\[memoryoss\] Memories that may bear.*\n- Deploy after signoff\. \(id m1, score 0\.61\)\n/,
  );
  assert.doesNotMatch(promptContext([]), /may bear/);
  assert.equal(taskContext([]), null);
  assert.match(
    primeContext({ namespace: "n", total: 1, recent: m, compacted: "auto" }),
    /^\[memoryoss\] Context was just compacted \(auto\)[\s\S]*1 active memory in namespace "n"/,
  );
  assert.deepEqual(JSON.parse(hookOutput("pre-task", "x")), {
    hookSpecificOutput: { hookEventName: "PreToolUse", additionalContext: "x" },
  });
  assert.deepEqual(JSON.parse(hookOutput("stop", "r")), { decision: "block", reason: "r" });
});

Deno.test("runHook: prime, recall on prompt and task, compaction relay, stop", async () => {
  await using h = await setupHome();
  const loaded = await loadConfig({ env: h.env });
  const rt = await openRuntime(loaded);
  const { id } = await storeMemory(rt, { content: "Deploy only after staging signoff." });
  await storeMemory(rt, { content: "The user prefers tabs in Go files." });
  rt.close();
  const hook = async (
    event: Parameters<typeof runHook>[0]["event"],
    input: Record<string, unknown>,
  ) => {
    const out = await runHook({ event, input, env: h.env, budgetMs: 5000 });
    return out ? JSON.parse(out) : null;
  };
  const start = await hook("session-start", { session_id: "s1", source: "startup" });
  assert.match(start.hookSpecificOutput.additionalContext, /2 active memories[\s\S]*tabs in Go/);

  const prompt = await hook("prompt-submit", { prompt: "When can we deploy to production?" });
  assert.match(
    prompt.hookSpecificOutput.additionalContext,
    new RegExp(`staging signoff\\. \\(id ${id}`),
  );
  const off = await hook("prompt-submit", { prompt: "zzqx" });
  assert.doesNotMatch(off.hookSpecificOutput.additionalContext, /may bear/);

  const task = await hook("pre-task", { tool_input: { description: "deploy the service" } });
  assert.equal(task.hookSpecificOutput.hookEventName, "PreToolUse");
  assert.match(task.hookSpecificOutput.additionalContext, /staging signoff/);
  assert.equal(await hook("pre-task", { tool_input: {} }), null);

  assert.equal(await hook("pre-compact", { session_id: "s/1", trigger: "manual" }), null);
  const after = await hook("session-start", { session_id: "s/1", source: "compact" });
  assert.match(
    after.hookSpecificOutput.additionalContext,
    /^\[memoryoss\] Context was just compacted \(manual\)/,
  );
  const flagGone = await Deno.stat(join(h.mh, "hooks", "compact-s_1.json")).then(
    () => false,
    () => true,
  );
  assert.ok(flagGone, "the compaction flag is consumed");

  const transcript = join(h.home, "t.jsonl");
  await Deno.writeTextFile(
    transcript,
    jl(user("please refactor the deploy scripts"), assistant(tool("Edit"))),
  );
  const stop = await hook("stop", { transcript_path: transcript, stop_hook_active: false });
  assert.equal(stop.decision, "block");
  assert.equal(await hook("stop", { transcript_path: transcript, stop_hook_active: true }), null);
  await Deno.writeTextFile(transcript, jl(assistant(tool("mcp__memoryoss__memoryoss_store"))), {
    append: true,
  });
  assert.equal(await hook("stop", { transcript_path: transcript }), null);
});

Deno.test("runHook never creates a home and stays silent on a broken config", async () => {
  await using h = await setupHome();
  const start = await runHook({ event: "session-start", input: {}, env: h.env });
  assert.match(JSON.parse(start).hookSpecificOutput.additionalContext, /0 active memories/);
  assert.equal(await Deno.stat(h.mh).then(() => true, () => false), false);
  await h.put(".memoryoss-test/memoryoss.toml", "[nope]\n");
  assert.equal(
    await runHook({ event: "prompt-submit", input: { prompt: "hello there" }, env: h.env }),
    "",
  );
});
