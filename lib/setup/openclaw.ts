/**
 * OpenClaw (memman's `install --target openclaw`): a skill at
 * `~/.openclaw/skills/memoryoss/SKILL.md` teaching the agent to recall and remember through the
 * memoryoss CLI. The instructions are a managed block; uninstall removes the block and, when
 * only the skill's front matter is left, the file.
 */
import { shellCommand } from "./clients.ts";
import type { ClientPaths } from "./clients.ts";
import { type Markers, removeBlock, upsertBlock } from "./markers.ts";
import { commandArgs, type Piece, type SetupSpec } from "./plan.ts";

export const OPENCLAW_MARKERS: Markers = {
  begin: "<!-- MEMORYOSS_SKILL_BEGIN -->",
  end: "<!-- MEMORYOSS_SKILL_END -->",
};

const FRONT = "---\nname: memoryoss\ndescription: Persistent memory across sessions. Recall " +
  "before tasks and decisions; remember preferences, decisions and corrections.\n---\n\n";

/** The skill's instructions, with the exact command lines the agent runs. */
export function openclawSkill(spec: SetupSpec): string {
  const cmd = (sub: string[]) => shellCommand(spec.launch.command, commandArgs(spec, sub));
  return `# memoryoss — persistent memory

Recall before you act, remember what lasts. Run these in the shell:

- Recall (on every new task, before delegating, before design decisions; a focused keyword
  query, not the raw prompt):
  \`${cmd(["recall", "--limit", "5"])} "<focused query>"\`
- Remember (user directives at once: preferences, decisions, corrections, "remember this";
  one self-contained fact per call, pronouns resolved, no secrets, at most 8000 characters):
  \`${cmd(["remember"])} "<fact>"\`
- Replace a memory that changed: \`${cmd(["replace"])} <id> "<new text>"\`

Never store what code, config or history can recover, receipts, line numbers, or "currently"
notes. Stored memories are recallable after the next drain (in later sessions).`;
}

/** The OpenClaw pieces. */
export function openclawPieces(spec: SetupSpec, p: ClientPaths): Piece[] {
  return [{
    client: "openclaw",
    file: p.openclawSkill,
    kind: "text",
    what: "memoryoss skill",
    apply: (t) => upsertBlock(t ?? FRONT, OPENCLAW_MARKERS, openclawSkill(spec)),
    remove: (t) => {
      const out = removeBlock(t, OPENCLAW_MARKERS);
      return out === FRONT || out === FRONT.trimEnd() + "\n" ? "" : out;
    },
  }];
}
