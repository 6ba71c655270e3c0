/**
 * memoryOSS's task kinds and their word lists (deploy, bugfix, review, style): query hints,
 * bucket hints, the goal line and the "Missing … state" question (§3.5, §4.1 step 2).
 *
 * @module
 */

/** The four task kinds. */
export type TaskKind = "deploy" | "bugfix" | "review" | "style";

/** Per kind: goal, missing-state question and hint lists. */
export interface KindText {
  goal: string;
  missing: string;
  query: string[];
  constraint: string[];
  action: string[];
}

export const KINDS: Record<TaskKind, KindText> = {
  deploy: {
    goal: "Compile the minimum safe deployment state for this task.",
    missing: "Missing deploy state: confirm the blocking rollout rule or latest rollout action.",
    query: [
      "deploy",
      "deployment",
      "release",
      "rollout",
      "staging",
      "production",
      "prod",
      "ship",
      "shipping",
      "launch",
      "rollback",
      "canary",
      "migrate",
      "migration",
    ],
    constraint: [
      "required",
      "approval",
      "before production",
      "staging",
      "must",
      "rollback",
      "smoke",
      "checklist",
    ],
    action: ["notify", "rerun", "roll back", "rollback", "release", "deploy", "validate", "ship"],
  },
  bugfix: {
    goal: "Compile the minimum debugging state for this task.",
    missing: "Missing bugfix state: confirm the current root cause or latest workaround.",
    query: [
      "bug",
      "bugfix",
      "fix",
      "debug",
      "debugging",
      "incident",
      "issue",
      "failure",
      "failing",
      "error",
      "crash",
      "exception",
      "regression",
      "workaround",
      "root cause",
      "patch",
    ],
    constraint: [
      "workaround",
      "root cause",
      "retry",
      "rollback",
      "must",
      "required",
      "before retrying",
    ],
    action: ["debug", "clear", "flush", "invalidate", "retry", "patch", "fix", "rerun"],
  },
  review: {
    goal: "Compile the minimum review state for this task.",
    missing: "Missing review state: confirm the blocking review checklist or approval rule.",
    query: [
      "review",
      "audit",
      "inspect",
      "analysis",
      "analyze",
      "assess",
      "evaluate",
      "diff",
      "pull request",
      "pr",
      "security",
      "lint",
      "checklist",
      "qa",
    ],
    constraint: [
      "require",
      "required",
      "before merge",
      "security",
      "checklist",
      "must",
      "never",
      "policy",
    ],
    action: ["review", "audit", "check", "confirm", "merge", "verify", "inspect"],
  },
  style: {
    goal: "Compile the minimum response-style state for this task.",
    missing: "Missing style state: confirm the preferred response format or verbosity rule.",
    query: [
      "style",
      "tone",
      "wording",
      "phrasing",
      "format",
      "formatting",
      "rewrite",
      "rephrase",
      "concise",
      "verbosity",
      "bullet",
      "bullets",
      "display",
      "summary",
      "summaries",
    ],
    constraint: [
      "concise",
      "verbosity",
      "bullet",
      "summary",
      "never show raw",
      "preference",
      "format",
    ],
    action: ["rewrite", "rephrase", "summarize", "format", "display", "respond"],
  },
};
export const ORDER: TaskKind[] = ["deploy", "bugfix", "review", "style"];

/** Normative phrases (constraints), matched in lowercased content. */
export const NORMATIVE = [
  " must ",
  " should ",
  " required ",
  " requires ",
  " never ",
  " do not ",
  " before ",
  " only after ",
  " mandatory ",
  " policy ",
  " preference ",
  " checklist ",
  " source of truth ",
  " canonical ",
];
/** Action phrases (recent actions). */
export const ACTION = [
  " rerun ",
  " retry ",
  " roll back ",
  " rollback ",
  " notify ",
  " merge ",
  " deploy ",
  " release ",
  " validate ",
  " review ",
  " audit ",
  " flush ",
  " clear ",
  " invalidate ",
  " patch ",
  " fix ",
];
