/**
 * The policy firewall (memoryOSS §3.7): when the user's message commands a risky action
 * (deploy, delete, exfiltrate, override) and a recalled policy memory speaks to it, the call
 * is blocked (403), held for confirmation (428 without `X-Memory-Policy-Confirm`), or passed
 * with a warning header. Keyword based and English only, like memoryOSS.
 */
import type { Candidate } from "./gate.ts";

/** A firewall verdict, from mildest to strictest. */
export type PolicyDecision = "allow" | "warn" | "require_confirmation" | "block";
const SEVERITY: PolicyDecision[] = ["allow", "warn", "require_confirmation", "block"];

/** One policy memory that matched the query's actions. */
export interface MatchedPolicy {
  memory_id: string;
  content: string;
  tags: string[];
  action_classes: string[];
  decision: PolicyDecision;
  score: number;
  status: string;
}

/** The firewall result (also returned in 403/428 bodies). */
export interface FirewallResult {
  active: boolean;
  decision: PolicyDecision;
  risky_actions: string[];
  reasons: string[];
  matched_policies: MatchedPolicy[];
  confirmation_header?: string;
}

const PREFIX =
  "(?:^|\\b(?:please|can you|could you|go ahead and|go ahead|lets|let s|we need to|need to|proceed to|proceed and) )";
const NOT_NOUN =
  "(?! (?:policy|policies|rules|checklist|steps|runbook|status|summary|notes|guidance)\\b)";
const VERBS: Record<string, string[]> = {
  deploy: ["deploy", "release", "roll out", "rollout", "ship", "launch", "promote"],
  delete: ["delete", "remove", "drop", "wipe", "purge", "erase", "truncate", "forget"],
  exfiltrate: ["export", "upload", "send", "share", "copy", "dump", "publish", "post"],
  override: ["override", "bypass", "skip", "disable", "ignore", "turn off"],
};
const TARGETS: Record<string, RegExp> = {
  exfiltrate:
    /\b(customer data|database|db|secrets?|tokens?|credentials?|api key|keys|public gist|gist|pastebin|public link|slack)\b/,
  override:
    /\b(review|approval|policy|guardrails?|auth|checks|tests|rbac|permissions?|without review)\b/,
};
const MEMORY_TERMS: Record<string, RegExp> = {
  deploy: /\b(deploy\w*|release\w*|roll ?outs?|ship\w*|launch\w*|production|prod|promot\w*)\b/,
  delete: /\b(delet\w*|remov\w*|drop\w*|wip\w*|purg\w*|eras\w*|truncat\w*|retention|backups?)\b/,
  exfiltrate:
    /\b(export\w*|upload\w*|shar\w*|publish\w*|gist|pastebin|secrets?|customer data|credentials?|leak\w*)\b/,
  override:
    /\b(review\w*|approv\w*|bypass\w*|skip\w*|guardrails?|checks|tests|rbac|permissions?)\b/,
};
const POLICY_TAGS = new Set([
  "policy",
  "preference",
  "guardrail",
  "approval",
  "review",
  "security",
  "compliance",
  "runbook",
  "retention",
  "privacy",
  "warn",
  "warning",
]);
const POLICY_WORDS =
  /\b(must|required?|requires|approval|mandatory|never|do not|before|always|prefer|warn\w*)\b/;
const BLOCK = /\b(never|must not|do not|forbidden|forbid|cannot|blocked|banned|no public)\b/;
const CONFIRM =
  /\b(requires? approval|approval required|(requires? )?sign ?off|require confirmation|confirm first|before (deploy\w*|production|merg\w*|rollout)|mandatory)\b/;
const WARN = /\b(warn\w*|careful|caution|risky|extra care|double check|watch out)\b/;

/** Lowercase ASCII alphanumerics separated by single spaces. */
export function normalizeQuery(q: string): string {
  return q.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/** The risky action classes a query commands. */
export function riskyActions(query: string): string[] {
  const q = normalizeQuery(query);
  return Object.entries(VERBS).filter(([cls, verbs]) => {
    const hit = verbs.some((v) => new RegExp(`${PREFIX}${v}\\b${NOT_NOUN}`).test(q));
    return hit && (!TARGETS[cls] || TARGETS[cls].test(q));
  }).map(([cls]) => cls);
}

function memoryDecision(text: string, classes: string[]): PolicyDecision {
  if (BLOCK.test(text)) return "block";
  if (CONFIRM.test(text)) return "require_confirmation";
  if (WARN.test(text)) return "warn";
  if (classes.includes("deploy") && /\b(approval|review|staging|smoke|production)\b/.test(text)) {
    return "require_confirmation";
  }
  return "warn";
}

/**
 * Evaluate the firewall for `query` over recalled `candidates` (best first).
 *
 * @example
 * ```ts
 * evaluateFirewall("deploy to production", cands, 0.4).decision; // "block" | "warn" | …
 * ```
 */
export function evaluateFirewall(
  query: string,
  candidates: Candidate[],
  minScore: number,
): FirewallResult {
  const risky = riskyActions(query);
  const none: FirewallResult = {
    active: false,
    decision: "allow",
    risky_actions: risky,
    reasons: [],
    matched_policies: [],
  };
  if (risky.length === 0) return none;
  const eligible = candidates.filter((c) =>
    !c.low_trust && c.score >= 0.35 && !c.archived && !["contested", "stale"].includes(c.status)
  );
  const qualified = eligible.filter((c) => c.score >= minScore && c.status === "active");
  const pool = qualified.length ? qualified : eligible;
  const matched: MatchedPolicy[] = [];
  for (const c of pool) {
    const text = c.content.toLowerCase();
    const tags = c.tags.map((t) => t.toLowerCase());
    if (!tags.some((t) => POLICY_TAGS.has(t)) && !POLICY_WORDS.test(text)) continue;
    const own = Object.keys(MEMORY_TERMS).filter((cls) =>
      tags.includes(cls) || MEMORY_TERMS[cls].test(text)
    );
    const classes = own.filter((cls) => risky.includes(cls));
    if (classes.length === 0) continue;
    matched.push({
      memory_id: c.id,
      content: c.content.slice(0, 220),
      tags: c.tags,
      action_classes: classes,
      decision: memoryDecision(text, classes),
      score: c.score,
      status: c.status,
    });
  }
  if (matched.length === 0) return { ...none, active: true };
  const decision = matched.reduce<PolicyDecision>(
    (d, m) => SEVERITY.indexOf(m.decision) > SEVERITY.indexOf(d) ? m.decision : d,
    "allow",
  );
  return {
    active: true,
    decision,
    risky_actions: risky,
    reasons: matched.slice(0, 3).map((m) => `${m.decision} via policy "${m.content}"`),
    matched_policies: matched,
    ...(decision === "require_confirmation"
      ? { confirmation_header: "x-memory-policy-confirm" }
      : {}),
  };
}

/** What the handler does with a firewall result. */
export interface FirewallVerdict {
  headers: Record<string, string>;
  /** 403 (block) or 428 (confirmation missing); absent when the call may proceed. */
  status?: 403 | 428;
  message?: string;
}

/**
 * Turn a result and the client's `X-Memory-Policy-Confirm` header into response headers and,
 * when the call must stop, a status.
 */
export function firewallVerdict(fw: FirewallResult, confirmHeader?: string): FirewallVerdict {
  if (!fw.active) return { headers: {} };
  const confirmed = /^(1|true|yes|confirm)$/i.test((confirmHeader ?? "").trim());
  const headers: Record<string, string> = {
    "x-memory-policy-decision": fw.decision,
    "x-memory-policy-actions": fw.risky_actions.join(","),
    "x-memory-policy-match-count": String(fw.matched_policies.length),
  };
  if (fw.decision === "require_confirmation" || confirmed) {
    headers["x-memory-policy-confirmed"] = String(confirmed);
  }
  if (fw.decision === "block") {
    return { headers, status: 403, message: `blocked by memory policy: ${fw.reasons[0]}` };
  }
  if (fw.decision === "require_confirmation" && !confirmed) {
    return {
      headers,
      status: 428,
      message: `memory policy requires confirmation (send x-memory-policy-confirm: 1): ${
        fw.reasons[0]
      }`,
    };
  }
  return { headers };
}
