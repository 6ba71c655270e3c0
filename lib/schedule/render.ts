/**
 * Scheduled-job artifacts as pure functions, shared by `relief schedule` and `worker`: the
 * program argv, systemd user units (Linux), a launchd agent plist (macOS), Task Scheduler XML
 * and schtasks argv (Windows).
 *
 * @module
 */

/** One periodic job, independent of the OS. */
export interface JobSpec {
  /** systemd unit base name and Windows XML file name, e.g. `memoryoss-drain`. */
  unit: string;
  /** Task Scheduler path, e.g. `memoryoss\Drain`. */
  taskName: string;
  /** launchd label, e.g. `com.memoryoss.drain`. */
  label: string;
  /** What one run does (service / task description). */
  description: string;
  /** The timer's description. */
  timerDescription: string;
  everyMs: number;
  /** argv of one run, program first. */
  command: string[];
  /** MEMORYOSS_HOME of the run. */
  home: string;
  /** Windows: RunLevel HighestAvailable instead of LeastPrivilege. */
  elevated: boolean;
  /** Exit codes that still count as a completed run (systemd SuccessExitStatus). */
  successExitStatus: number[];
  /** Windows ExecutionTimeLimit. */
  timeLimitMs: number;
  /** Folder under the home for the Windows XML and the launchd logs (`relief`, `worker`). */
  homeSubdir: string;
  /**
   * A long-running service instead of a periodic run (`everyMs` is then unused): a systemd
   * `Type=simple` unit restarted on failure and wanted by `default.target`, a launchd agent with
   * KeepAlive, a task started at logon without a time limit.
   */
  keepAlive?: boolean;
  /** Working directory of the run (the service's `.env` and default paths depend on it). */
  workingDir?: string;
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
 * The argv prefix of a scheduled run: the compiled binary, or `deno run` with exactly the given
 * permission flags when running from source; then `--config FILE` when one was given.
 *
 * @example
 * ```ts
 * programArgv({ execPath: "/usr/bin/memoryoss", mainModule: "file:///$deno$/main.ts", os: "linux" }, []);
 * // ["/usr/bin/memoryoss"]
 * ```
 */
export function programArgv(p: ProgramInfo, denoFlags: string[]): string[] {
  const fromSource = /^deno(\.exe)?$/i.test(p.execPath.split(/[\\/]/).pop() ?? "") &&
    p.mainModule.startsWith("file:");
  const base = fromSource
    ? [p.execPath, "run", ...denoFlags, fileUrlToPath(p.mainModule, p.os)]
    : [p.execPath];
  return [...base, ...(p.config ? ["--config", p.config] : [])];
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
export function systemdSpan(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60000));
  return min % 60 === 0 ? `${min / 60}h` : `${min}min`;
}

/**
 * The systemd user service (oneshot) that runs the job once.
 *
 * @example
 * ```ts
 * renderSystemdService(job).includes("Type=oneshot"); // true
 * ```
 */
export function renderSystemdService(job: JobSpec): string {
  return [
    "[Unit]",
    `Description=${job.description}`,
    "",
    "[Service]",
    job.keepAlive ? "Type=simple" : "Type=oneshot",
    `Environment=${systemdArg(`MEMORYOSS_HOME=${job.home}`)}`,
    ...(job.workingDir ? [`WorkingDirectory=${systemdArg(job.workingDir)}`] : []),
    `ExecStart=${job.command.map(systemdArg).join(" ")}`,
    "Nice=10",
    ...(job.successExitStatus.length
      ? [`SuccessExitStatus=${job.successExitStatus.join(" ")}`]
      : []),
    ...(job.keepAlive
      ? ["Restart=on-failure", "RestartSec=30", "", "[Install]", "WantedBy=default.target"]
      : []),
    "",
  ].join("\n");
}

/** The systemd user timer that starts the service every `everyMs`. */
export function renderSystemdTimer(job: JobSpec): string {
  return [
    "[Unit]",
    `Description=${job.timerDescription}`,
    "",
    "[Timer]",
    "OnBootSec=5min",
    `OnUnitActiveSec=${systemdSpan(job.everyMs)}`,
    "AccuracySec=1min",
    `Unit=${job.unit}.service`,
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
}

const xml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  );

/**
 * A launchd agent (`~/Library/LaunchAgents/<label>.plist`) that runs the job every
 * `everyMs` (StartInterval, whole seconds, at least 60) and once at load.
 *
 * @example
 * ```ts
 * renderLaunchdPlist(job).includes("<key>StartInterval</key>"); // true
 * ```
 */
export function renderLaunchdPlist(job: JobSpec, logDir: string): string {
  const seconds = Math.max(60, Math.round(job.everyMs / 1000));
  const when = job.keepAlive
    ? ["  <key>KeepAlive</key>", "  <true/>"]
    : ["  <key>StartInterval</key>", `  <integer>${seconds}</integer>`];
  const cwd = job.workingDir
    ? ["  <key>WorkingDirectory</key>", `  <string>${xml(job.workingDir)}</string>`]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" ' +
    '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    "  <key>Label</key>",
    `  <string>${xml(job.label)}</string>`,
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...job.command.map((a) => `    <string>${xml(a)}</string>`),
    "  </array>",
    "  <key>EnvironmentVariables</key>",
    "  <dict>",
    "    <key>MEMORYOSS_HOME</key>",
    `    <string>${xml(job.home)}</string>`,
    "  </dict>",
    ...cwd,
    ...when,
    "  <key>RunAtLoad</key>",
    "  <true/>",
    "  <key>ProcessType</key>",
    "  <string>Background</string>",
    "  <key>LowPriorityIO</key>",
    "  <true/>",
    "  <key>Nice</key>",
    "  <integer>10</integer>",
    "  <key>StandardOutPath</key>",
    `  <string>${xml(`${logDir}/${job.unit}.log`)}</string>`,
    "  <key>StandardErrorPath</key>",
    `  <string>${xml(`${logDir}/${job.unit}.log`)}</string>`,
    "</dict>",
    "</plist>",
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
 * (so the foreground window is visible to the run), least privilege unless `elevated`.
 */
export function renderTaskXml(job: JobSpec, start: Date): string {
  const [program, ...args] = job.command;
  const runLevel = job.elevated ? "HighestAvailable" : "LeastPrivilege";
  const trigger = job.keepAlive
    ? ["    <LogonTrigger>", "      <Enabled>true</Enabled>", "    </LogonTrigger>"]
    : [
      "    <TimeTrigger>",
      `      <StartBoundary>${localIso(start)}</StartBoundary>`,
      "      <Enabled>true</Enabled>",
      "      <Repetition>",
      `        <Interval>${isoDuration(job.everyMs)}</Interval>`,
      "        <StopAtDurationEnd>false</StopAtDurationEnd>",
      "      </Repetition>",
      "    </TimeTrigger>",
    ];
  // A service runs until logoff and is restarted when it fails; a periodic run has a limit.
  const limit = job.keepAlive ? "PT0S" : isoDuration(job.timeLimitMs);
  const restart = job.keepAlive
    ? [
      "    <RestartOnFailure>",
      "      <Interval>PT1M</Interval>",
      "      <Count>3</Count>",
      "    </RestartOnFailure>",
    ]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    "  <RegistrationInfo>",
    `    <Description>${xml(job.description)}</Description>`,
    `    <URI>\\${xml(job.taskName)}</URI>`,
    "  </RegistrationInfo>",
    "  <Triggers>",
    ...trigger,
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
    `    <ExecutionTimeLimit>${limit}</ExecutionTimeLimit>`,
    ...restart,
    "    <StartWhenAvailable>true</StartWhenAvailable>",
    "    <Hidden>true</Hidden>",
    "    <Priority>7</Priority>",
    "    <Enabled>true</Enabled>",
    "  </Settings>",
    '  <Actions Context="Author">',
    "    <Exec>",
    `      <Command>${xml(program)}</Command>`,
    `      <Arguments>${xml(args.map(windowsArg).join(" "))}</Arguments>`,
    ...(job.workingDir
      ? [`      <WorkingDirectory>${xml(job.workingDir)}</WorkingDirectory>`]
      : []),
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
export function schtasksCreateArgs(xmlPath: string, taskName: string): string[] {
  return ["schtasks", "/Create", "/XML", xmlPath, "/TN", taskName, "/F"];
}

/** schtasks argv removing the task. */
export function schtasksDeleteArgs(taskName: string): string[] {
  return ["schtasks", "/Delete", "/TN", taskName, "/F"];
}
