/**
 * The systemd unit of the gateway as text: its name, where it lives, how it
 * renders and how an installed one reads back.
 *
 * Pure functions only; `systemctl` is called elsewhere through `service/exec.ts`.
 * Values are escaped for systemd's own rules (quoting, C escapes, `%`
 * specifiers, `$` expansion in ExecStart) rather than a shell's.
 *
 * @module
 */

import { validateProfileName } from "../src/config/paths.ts";
import { serviceDescription, type ServiceSpec, validateServiceSpec } from "./spec.ts";

/** The unit name: `openclaw-gateway.service` or `openclaw-gateway-<profile>.service`. */
export function systemdUnitName(profile?: string): string {
  return profile
    ? `openclaw-gateway-${validateProfileName(profile)}.service`
    : "openclaw-gateway.service";
}

/** Where `gateway install` writes the user unit: `~/.config/systemd/user/<name>`. */
export function systemdUserUnitPath(home: string, profile?: string): string {
  return `${home}/.config/systemd/user/${systemdUnitName(profile)}`;
}

/** Where system units live unless `OPENCLAW_SYSTEMD_SYSTEM_DIR` says otherwise. */
export const SYSTEMD_SYSTEM_DIR = "/etc/systemd/system";

/**
 * Where a system unit goes: `/etc/systemd/system/<name>`. `dir` is the
 * test/packaging knob `OPENCLAW_SYSTEMD_SYSTEM_DIR` (a staging root, a test's
 * temp folder).
 */
export function systemdSystemUnitPath(profile?: string, dir = SYSTEMD_SYSTEM_DIR): string {
  return `${dir}/${systemdUnitName(profile)}`;
}

/**
 * Renders the unit file for `spec`: a user unit (`WantedBy=default.target`),
 * or a system unit (`User=`, `WantedBy=multi-user.target`) when
 * `spec.system` is set. Throws when the spec holds a secret or a value no
 * unit line can carry.
 */
export function renderSystemdUnit(spec: ServiceSpec): string {
  validateServiceSpec(spec);
  const lines = [
    "[Unit]",
    `Description=${escapeSpecifiers(serviceDescription(spec))}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
  ];
  if (spec.system) lines.push(`User=${spec.system.user}`);
  lines.push(
    `ExecStart=${spec.programArguments.map((arg) => quoteSystemdWord(arg, true)).join(" ")}`,
    "Restart=always",
    "RestartSec=5",
    // Only the gateway is signalled; children it spawned finish on their own.
    "KillMode=process",
    `WorkingDirectory=${escapeSpecifiers(spec.workingDirectory)}`,
  );
  for (const [key, value] of Object.entries(spec.environment)) {
    lines.push(`Environment=${quoteSystemdWord(`${key}=${value}`, false)}`);
  }
  lines.push(
    "",
    "[Install]",
    `WantedBy=${spec.system ? "multi-user.target" : "default.target"}`,
    "",
  );
  return lines.join("\n");
}

/** The settings of a unit file that `gateway install` writes and `doctor` compares. */
export interface SystemdUnit {
  description?: string;
  /** The argv of the last `ExecStart=`, unquoted and unescaped. */
  execStart: string[];
  workingDirectory?: string;
  /** All `Environment=` assignments, later ones winning. */
  environment: Record<string, string>;
  user?: string;
  wantedBy: string[];
  /** Every raw value by section and key, for settings not mapped above. */
  sections: Record<string, Record<string, string[]>>;
}

/**
 * Reads a unit file back into its argv, environment and friends, undoing
 * the quoting of {@link renderSystemdUnit}, so an installed unit can be
 * compared with what install would write now.
 */
export function parseSystemdUnit(text: string): SystemdUnit {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const line of joinContinuations(text)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      current = sections[header[1]] ??= {};
      continue;
    }
    const eq = trimmed.indexOf("=");
    if (eq < 0 || !current) continue;
    const key = trimmed.slice(0, eq).trim();
    (current[key] ??= []).push(trimmed.slice(eq + 1).trim());
  }
  const service = sections.Service ?? {};
  const last = (values?: string[]) => values?.[values.length - 1];
  const environment: Record<string, string> = {};
  for (const value of service.Environment ?? []) {
    for (const word of splitSystemdWords(value)) {
      const eq = word.indexOf("=");
      if (eq > 0) environment[word.slice(0, eq)] = unescapeSpecifiers(word.slice(eq + 1));
    }
  }
  const execLine = last(service.ExecStart) ?? "";
  const execStart = splitSystemdWords(execLine).map((w) =>
    unescapeSpecifiers(w).replaceAll("$$", () => "$")
  );
  // A leading "-", "@", ":", "+" or "!" modifies how systemd runs the binary.
  if (execStart.length > 0) execStart[0] = execStart[0].replace(/^[-@:+!]+/, "");
  const unit: SystemdUnit = {
    execStart,
    environment,
    wantedBy: (sections.Install?.WantedBy ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean),
    sections,
  };
  const description = last(sections.Unit?.Description);
  if (description !== undefined) unit.description = unescapeSpecifiers(description);
  const workingDirectory = last(service.WorkingDirectory);
  if (workingDirectory !== undefined) unit.workingDirectory = unescapeSpecifiers(workingDirectory);
  const user = last(service.User);
  if (user !== undefined) unit.user = user;
  return unit;
}

/** `%` starts a specifier in almost every unit setting; `%%` is a literal one. */
function escapeSpecifiers(text: string): string {
  return text.replaceAll("%", "%%");
}

function unescapeSpecifiers(text: string): string {
  return text.replaceAll("%%", "%");
}

/**
 * One word of an ExecStart= or Environment= line. systemd splits on
 * whitespace, honours double quotes and C escapes, expands `%` specifiers
 * and (ExecStart only) `$VAR`; quote when any of that would change the word.
 */
function quoteSystemdWord(word: string, execStart: boolean): string {
  let out = escapeSpecifiers(word);
  // A function, because "$$" in a replacement string means one "$".
  if (execStart) out = out.replaceAll("$", () => "$$");
  if (out !== "" && out !== ";" && !/[\s"'\\]/.test(out)) return out;
  return `"${out.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

const C_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  s: " ",
  t: "\t",
  v: "\v",
};

/** Splits a value the way systemd does: quotes may appear anywhere in a word. */
function splitSystemdWords(value: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\" && i + 1 < value.length) {
      const next = value[++i];
      if (next === "x" && /^[0-9a-f]{2}$/i.test(value.slice(i + 1, i + 3))) {
        word = (word ?? "") + String.fromCharCode(parseInt(value.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        word = (word ?? "") + (C_ESCAPES[next] ?? next);
      }
    } else if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= "";
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** A line ending in a backslash continues on the next one. */
function joinContinuations(text: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const line of text.split(/\r?\n/)) {
    if (line.endsWith("\\") && !line.trimStart().startsWith("#")) {
      pending += line.slice(0, -1) + " ";
    } else {
      out.push(pending + line);
      pending = "";
    }
  }
  if (pending) out.push(pending);
  return out;
}
