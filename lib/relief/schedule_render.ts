/**
 * Scheduled-run artifacts, as pure functions: the command line, systemd user units (Linux),
 * Task Scheduler XML and schtasks argv (Windows).
 *
 * @module
 */
import type { Tier } from "./types.ts";

/** The task / unit name. */
export const TASK_NAME = "memoryoss\\Relief";
export const UNIT_NAME = "memoryoss-relief";

/** What a scheduled run does. */
export interface ScheduleSpec {
  everyMs: number;
  tier: Tier;
  /** argv of the run, program first. */
  command: string[];
}

/** Where the program is and how it was started. */
export interface ProgramInfo {
  execPath: string;
  /** `Deno.mainModule`: a file URL when run from source. */
  mainModule: string;
  /** Global `-c FILE`, passed through so the scheduled run uses the same config. */
  config?: string;
  os: string;
}

/**
 * The argv a scheduled run executes: the compiled binary directly, or `deno run` with exactly
 * relief's permissions when running from source.
 *
 * @example
 * ```ts
 * reliefCommand({ execPath: "/usr/local/bin/memoryoss", mainModule: "file:///$deno$/main.ts", os: "linux" }, "safe");
 * // ["/usr/local/bin/memoryoss", "relief", "--tier=safe", "--json", "--compact", "--quiet"]
 * ```
 */
export function reliefCommand(p: ProgramInfo, tier: Tier): string[] {
  const base = /^deno(\.exe)?$/i.test(p.execPath.split(/[\\/]/).pop() ?? "") &&
      p.mainModule.startsWith("file:")
    ? [
      p.execPath,
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-ffi",
      fileUrlToPath(p.mainModule, p.os),
    ]
    : [p.execPath];
  return [
    ...base,
    ...(p.config ? ["--config", p.config] : []),
    "relief",
    `--tier=${tier}`,
    "--json",
    "--compact",
    "--quiet",
  ];
}

function fileUrlToPath(url: string, os: string): string {
  const path = decodeURIComponent(new URL(url).pathname);
  return os === "windows" ? path.replace(/^\/([A-Za-z]:)/, "$1").replaceAll("/", "\\") : path;
}

/** Quote one argument for a systemd ExecStart line (`%` is a specifier there). */
function systemdArg(a: string): string {
  const s = a.replaceAll("%", "%%");
  return /[\s"'\\;]/.test(s) ? `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"` : s;
}

/** minutes/hours as systemd time text. */
function systemdSpan(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60000));
  return min % 60 === 0 ? `${min / 60}h` : `${min}min`;
}

/**
 * The systemd user service (oneshot) that runs one relief.
 *
 * @example
 * ```ts
 * renderSystemdService(spec, "/home/u/.memoryoss").includes("Type=oneshot"); // true
 * ```
 */
export function renderSystemdService(spec: ScheduleSpec, home: string): string {
  return [
    "[Unit]",
    `Description=memoryoss RAM relief (tier ${spec.tier})`,
    "",
    "[Service]",
    "Type=oneshot",
    `Environment=${systemdArg(`MEMORYOSS_HOME=${home}`)}`,
    `ExecStart=${spec.command.map(systemdArg).join(" ")}`,
    "Nice=10",
    // Exit 1 (partial) is still a completed run, not a failed unit.
    "SuccessExitStatus=1",
    "",
  ].join("\n");
}

/** The systemd user timer that starts the service every `everyMs`. */
export function renderSystemdTimer(spec: ScheduleSpec): string {
  return [
    "[Unit]",
    `Description=memoryoss RAM relief every ${systemdSpan(spec.everyMs)}`,
    "",
    "[Timer]",
    "OnBootSec=5min",
    `OnUnitActiveSec=${systemdSpan(spec.everyMs)}`,
    "AccuracySec=1min",
    `Unit=${UNIT_NAME}.service`,
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
}

/**
 * An ISO-8601 duration for Task Scheduler (whole minutes).
 *
 * @example
 * ```ts
 * isoDuration(5_400_000); // "PT1H30M"
 * ```
 */
export function isoDuration(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60000));
  const d = Math.floor(min / 1440), h = Math.floor((min % 1440) / 60), m = min % 60;
  const time = (h ? `${h}H` : "") + (m ? `${m}M` : "");
  return `P${d ? `${d}D` : ""}${time ? `T${time}` : ""}`;
}

const xml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  );

/**
 * Quote one argument the way CommandLineToArgvW reads it back.
 *
 * @example
 * ```ts
 * windowsArg("C:\\Program Files\\m.exe"); // "\"C:\\Program Files\\m.exe\""
 * ```
 */
export function windowsArg(a: string): string {
  if (a && !/[\s"]/.test(a)) return a;
  let out = '"';
  let slashes = 0;
  for (const ch of a) {
    if (ch === "\\") slashes++;
    else if (ch === '"') {
      out += "\\".repeat(slashes * 2 + 1) + '"';
      slashes = 0;
    } else {
      out += "\\".repeat(slashes) + ch;
      slashes = 0;
    }
  }
  return out + "\\".repeat(slashes * 2) + '"';
}

/** Local time as Task Scheduler's StartBoundary (no zone: it means local time). */
function localIso(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:` +
    `${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * Task Scheduler XML (version 1.2): a repeating time trigger without an end, interactive token
 * (so the foreground window is visible to the run), least privilege for `safe`, highest
 * available for `standard`.
 */
export function renderTaskXml(spec: ScheduleSpec, start: Date): string {
  const [program, ...args] = spec.command;
  const runLevel = spec.tier === "safe" ? "LeastPrivilege" : "HighestAvailable";
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    "  <RegistrationInfo>",
    `    <Description>memoryoss RAM relief (tier ${spec.tier})</Description>`,
    `    <URI>\\${xml(TASK_NAME)}</URI>`,
    "  </RegistrationInfo>",
    "  <Triggers>",
    "    <TimeTrigger>",
    `      <StartBoundary>${localIso(start)}</StartBoundary>`,
    "      <Enabled>true</Enabled>",
    "      <Repetition>",
    `        <Interval>${isoDuration(spec.everyMs)}</Interval>`,
    "        <StopAtDurationEnd>false</StopAtDurationEnd>",
    "      </Repetition>",
    "    </TimeTrigger>",
    "  </Triggers>",
    "  <Principals>",
    '    <Principal id="Author">',
    "      <LogonType>InteractiveToken</LogonType>",
    `      <RunLevel>${runLevel}</RunLevel>`,
    "    </Principal>",
    "  </Principals>",
    "  <Settings>",
    "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>",
    "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>",
    "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>",
    "    <ExecutionTimeLimit>PT2M</ExecutionTimeLimit>",
    "    <StartWhenAvailable>true</StartWhenAvailable>",
    "    <Hidden>true</Hidden>",
    "    <Priority>7</Priority>",
    "    <Enabled>true</Enabled>",
    "  </Settings>",
    '  <Actions Context="Author">',
    "    <Exec>",
    `      <Command>${xml(program)}</Command>`,
    `      <Arguments>${xml(args.map(windowsArg).join(" "))}</Arguments>`,
    "    </Exec>",
    "  </Actions>",
    "</Task>",
    "",
  ].join("\r\n");
}

/**
 * UTF-16LE with a byte-order mark, the encoding the XML declaration promises.
 *
 * @example
 * ```ts
 * utf16leBom("a"); // Uint8Array [0xFF, 0xFE, 0x61, 0x00]
 * ```
 */
export function utf16leBom(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xFF;
  out[1] = 0xFE;
  const v = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) v.setUint16(2 + i * 2, text.charCodeAt(i), true);
  return out;
}

/** schtasks argv registering the XML. */
export function schtasksCreateArgs(xmlPath: string): string[] {
  return ["schtasks", "/Create", "/XML", xmlPath, "/TN", TASK_NAME, "/F"];
}

/** schtasks argv for the simple, XML-free registration (minutes 1–1439). */
export function schtasksSimpleArgs(spec: ScheduleSpec): string[] {
  const minutes = Math.min(1439, Math.max(1, Math.round(spec.everyMs / 60000)));
  return [
    "schtasks",
    "/Create",
    "/F",
    "/TN",
    TASK_NAME,
    "/SC",
    "MINUTE",
    "/MO",
    String(minutes),
    ...(spec.tier === "safe" ? [] : ["/RL", "HIGHEST"]),
    "/TR",
    spec.command.map(windowsArg).join(" "),
  ];
}

/** schtasks argv removing the task. */
export function schtasksDeleteArgs(): string[] {
  return ["schtasks", "/Delete", "/TN", TASK_NAME, "/F"];
}
