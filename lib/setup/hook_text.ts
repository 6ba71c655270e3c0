/**
 * What `memoryoss hook <event>` says to Claude Code, as pure functions: the context texts, the
 * once-per-turn Stop reminder, and the transcript reading that decides whether it is needed.
 */

/** The events `memoryoss hook` answers. */
export const HOOK_EVENTS = [
  "session-start",
  "prompt-submit",
  "stop",
  "pre-compact",
  "pre-task",
  "pre-plan-exit",
] as const;
export type HookEvent = typeof HOOK_EVENTS[number];

/** A memory as a hook shows it. */
export interface HookMemory {
  id: string;
  content: string;
  score?: number;
}

const CLAUDE_EVENT: Record<HookEvent, string> = {
  "session-start": "SessionStart",
  "prompt-submit": "UserPromptSubmit",
  "stop": "Stop",
  "pre-compact": "PreCompact",
  "pre-task": "PreToolUse",
  "pre-plan-exit": "PreToolUse",
};

function line(m: HookMemory): string {
  const text = m.content.replace(/\s+/g, " ").trim();
  const short = text.length > 240 ? `${text.slice(0, 239)}…` : text;
  return `- ${short} (id ${m.id}${m.score !== undefined ? `, score ${m.score.toFixed(2)}` : ""})`;
}

/**
 * Session start (and after a compaction): memory is active, how to use it, the latest items.
 *
 * @example
 * ```ts
 * primeContext({ namespace: "default", total: 0, recent: [] });
 * ```
 */
export function primeContext(o: {
  namespace: string;
  total: number;
  recent: HookMemory[];
  compacted?: string | null;
}): string {
  const out: string[] = [];
  if (o.compacted) {
    out.push(
      `[memoryoss] Context was just compacted (${o.compacted}). Recall the critical context ` +
        "for the current task now with memoryoss_recall before continuing.",
    );
  }
  out.push(
    `[memoryoss] Persistent memory is active: ${o.total} active memor${
      o.total === 1 ? "y" : "ies"
    } in namespace "${o.namespace}". Call memoryoss_recall with a focused query before ` +
      "answering whenever earlier decisions, preferences or project facts may matter; store " +
      "new durable ones with memoryoss_store (one self-contained fact per call, no secrets).",
  );
  if (o.recent.length) {
    out.push("Most recent memories:", ...o.recent.map(line));
  }
  return out.join("\n");
}

/** Prompt submit: the reminder plus any memories the prompt already matched. */
export function promptContext(memories: HookMemory[]): string {
  const out = memories.length
    ? ["[memoryoss] Memories that may bear on this prompt:", ...memories.map(line)]
    : [];
  out.push(
    "[memoryoss] Recall with memoryoss_recall (focused query) before answering unless this is " +
      "already in context. If this turn yields a decision, preference or correction, store it " +
      "with memoryoss_store.",
  );
  return out.join("\n");
}

/** Before a Task/Agent call: memories worth handing to the subagent, or null. */
export function taskContext(memories: HookMemory[]): string | null {
  if (!memories.length) return null;
  return [
    "[memoryoss] Memories relevant to this delegated task (the subagent does not see your " +
    "context: pass on what matters in its prompt):",
    ...memories.map(line),
  ].join("\n");
}

/**
 * Before ExitPlanMode (memman's exit_plan.sh): the plan's conclusions and decisions are about
 * to be acted on, so store them first.
 */
export const PLAN_EXIT_TEXT = "[memoryoss] Store conclusions and decisions before executing: " +
  "before leaving plan mode, store each durable decision or conclusion of this plan with " +
  "memoryoss_store (one self-contained fact per call, no secrets).";

/** What the current turn did, read from the end of a Claude Code transcript. */
export interface TurnInfo {
  /** The turn already called memoryoss_store, _update or _feedback. */
  stored: boolean;
  toolUses: number;
  promptChars: number;
}

type Block = { type?: string; name?: string; text?: string };

/**
 * Read the last turn from JSONL transcript text (possibly starting mid-line).
 *
 * @example
 * ```ts
 * parseTurn('{"type":"user","message":{"content":"hi"}}\n').promptChars; // 2
 * ```
 */
export function parseTurn(tail: string): TurnInfo {
  const turn: TurnInfo = { stored: false, toolUses: 0, promptChars: 0 };
  const lines = tail.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    let rec: { type?: string; message?: { content?: string | Block[] } };
    try {
      rec = JSON.parse(lines[i]);
    } catch {
      continue;
    }
    const content = rec?.message?.content;
    if (rec?.type === "assistant" && Array.isArray(content)) {
      for (const b of content) {
        if (b?.type !== "tool_use") continue;
        turn.toolUses++;
        if (/memoryoss_(store|update|feedback)$/.test(b.name ?? "")) turn.stored = true;
      }
    } else if (rec?.type === "user") {
      if (typeof content === "string") {
        turn.promptChars = content.length;
        break;
      }
      const texts = Array.isArray(content) ? content.filter((b) => b?.type === "text") : [];
      if (texts.length) {
        turn.promptChars = texts.reduce((n, b) => n + (b.text?.length ?? 0), 0);
        break;
      }
    }
  }
  return turn;
}

/**
 * The Stop reminder, or null. Once per turn (Claude sets `stop_hook_active` when a Stop hook
 * already made it continue); not when the turn stored something or was a short exchange with
 * no tool use. An unreadable transcript still reminds once.
 */
export function stopReason(stopHookActive: boolean, turn: TurnInfo | null): string | null {
  if (stopHookActive) return null;
  if (turn?.stored) return null;
  if (turn && turn.toolUses === 0 && turn.promptChars < 40) return null;
  return "[memoryoss] Memory check before you stop: did this turn produce a preference, " +
    "decision, correction or durable project fact? If so, store it now with memoryoss_store " +
    "(self-contained, resolve 'it'/'this', no secrets). Otherwise just finish.";
}

/**
 * The JSON Claude Code reads from a hook's stdout for `text`.
 *
 * @example
 * ```ts
 * JSON.parse(hookOutput("stop", "x")).decision; // "block"
 * ```
 */
export function hookOutput(event: HookEvent, text: string): string {
  if (event === "stop") return JSON.stringify({ decision: "block", reason: text });
  return JSON.stringify({
    hookSpecificOutput: { hookEventName: CLAUDE_EVENT[event], additionalContext: text },
  });
}
