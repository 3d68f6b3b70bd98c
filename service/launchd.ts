/**
 * The launchd LaunchAgent of the gateway as text: its label, where the plist
 * lives, how it renders and how an installed one reads back, plus the legacy
 * labels install cleans up.
 *
 * Pure functions only; `launchctl` is called elsewhere through `service/exec.ts`.
 *
 * @module
 */

import { validateProfileName } from "../src/config/paths.ts";
import { serviceDescription, type ServiceSpec, validateServiceSpec } from "./spec.ts";

/** Labels of earlier builds; install unloads and removes them (runbook: legacy `com.openclaw.*`). */
export const LEGACY_LAUNCHD_LABEL_PREFIX = "com.openclaw.";

/** The LaunchAgent label: `bot.molt.gateway` or `bot.molt.<profile>`. */
export function launchdLabel(profile?: string): string {
  return profile ? `bot.molt.${validateProfileName(profile)}` : "bot.molt.gateway";
}

/** Where `gateway install` writes the plist: `~/Library/LaunchAgents/<label>.plist`. */
export function launchdPlistPath(home: string, profile?: string): string {
  return `${home}/Library/LaunchAgents/${launchdLabel(profile)}.plist`;
}

/** Where launchd sends the gateway's stdout and stderr, under the instance's state dir. */
export function launchdLogPaths(stateDir: string): { stdout: string; stderr: string } {
  return { stdout: `${stateDir}/logs/gateway.log`, stderr: `${stateDir}/logs/gateway.err.log` };
}

/** True for a label an earlier build installed (`com.openclaw.*`). */
export function isLegacyLaunchdLabel(label: string): boolean {
  return label.startsWith(LEGACY_LAUNCHD_LABEL_PREFIX) &&
    label.length > LEGACY_LAUNCHD_LABEL_PREFIX.length;
}

/**
 * Picks the legacy labels out of `names`, which may be labels (from
 * `launchctl list`) or plist file names (from `~/Library/LaunchAgents`), so
 * install can unload and remove them. Sorted, without duplicates.
 */
export function legacyLaunchdLabels(names: Iterable<string>): string[] {
  const labels = new Set<string>();
  for (const name of names) {
    const label = (name.split("/").pop() ?? "").replace(/\.plist$/, "");
    if (isLegacyLaunchdLabel(label)) labels.add(label);
  }
  return [...labels].sort();
}

/**
 * Renders the LaunchAgent plist for `spec`: kept alive, started at load,
 * throttled to one restart per 5 s, logs under `<stateDir>/logs/`, umask
 * 077. Throws when the spec holds a secret or a value a plist cannot carry.
 */
export function renderLaunchdPlist(spec: ServiceSpec): string {
  validateServiceSpec(spec);
  const logs = launchdLogPaths(spec.stateDir);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
  ];
  const entry = (key: string, value: string) => out.push(`  <key>${key}</key>`, `  ${value}`);
  entry("Label", string(launchdLabel(spec.profile)));
  entry("Comment", string(serviceDescription(spec)));
  entry("RunAtLoad", "<true/>");
  entry("KeepAlive", "<true/>");
  entry("ThrottleInterval", "<integer>5</integer>");
  entry("ExitTimeOut", "<integer>30</integer>");
  entry("Umask", "<integer>63</integer>");
  out.push("  <key>ProgramArguments</key>", "  <array>");
  for (const arg of spec.programArguments) out.push(`    ${string(arg)}`);
  out.push("  </array>");
  entry("WorkingDirectory", string(spec.workingDirectory));
  entry("StandardOutPath", string(logs.stdout));
  entry("StandardErrorPath", string(logs.stderr));
  out.push("  <key>EnvironmentVariables</key>", "  <dict>");
  for (const [key, value] of Object.entries(spec.environment)) {
    out.push(`    <key>${escapeXml(key)}</key>`, `    ${string(value)}`);
  }
  out.push("  </dict>", "</dict>", "</plist>", "");
  return out.join("\n");
}

/** A plist value as {@link parseLaunchdPlist} reads it. */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** The settings of a LaunchAgent that install writes and `doctor` compares. */
export interface LaunchdPlist {
  label?: string;
  comment?: string;
  programArguments: string[];
  workingDirectory?: string;
  environment: Record<string, string>;
  standardOutPath?: string;
  standardErrorPath?: string;
  /** The whole top-level dict, for keys not mapped above. */
  raw: Record<string, PlistValue>;
}

/**
 * Reads an XML plist back (dict, array, key, string, integer, real,
 * true/false), enough for the plists {@link renderLaunchdPlist} writes and
 * hand-edited variants of them. Throws on anything else.
 */
export function parseLaunchdPlist(text: string): LaunchdPlist {
  const tokens = tokenize(text);
  let pos = 0;
  const next = () => {
    const token = tokens[pos++];
    if (!token) throw new Error("Invalid plist: unexpected end of document");
    return token;
  };
  const value = (open: Token): PlistValue => {
    if (open.kind !== "open" && open.kind !== "empty") {
      throw new Error(`Invalid plist: unexpected ${describe(open)}`);
    }
    if (open.kind === "empty") {
      const empty: Record<string, PlistValue> = { true: true, false: false, string: "", array: [] };
      if (open.name === "dict") return {};
      if (open.name in empty) return empty[open.name];
      throw new Error(`Invalid plist: unsupported <${open.name}/>`);
    }
    if (open.name === "array") {
      const items: PlistValue[] = [];
      for (let t = next(); !(t.kind === "close" && t.name === "array"); t = next()) {
        items.push(value(t));
      }
      return items;
    }
    if (open.name === "dict") {
      const dict: Record<string, PlistValue> = {};
      for (let t = next(); !(t.kind === "close" && t.name === "dict"); t = next()) {
        if (t.kind !== "open" || t.name !== "key") {
          throw new Error(`Invalid plist: expected <key>, got ${describe(t)}`);
        }
        const key = textUntilClose("key");
        dict[key] = value(next());
      }
      return dict;
    }
    const body = textUntilClose(open.name);
    if (open.name === "string") return body;
    if (open.name === "integer" || open.name === "real") return Number(body.trim());
    throw new Error(`Invalid plist: unsupported <${open.name}>`);
  };
  const textUntilClose = (name: string): string => {
    let body = "";
    let t = next();
    if (t.kind === "text") {
      body = t.text;
      t = next();
    }
    if (t.kind !== "close" || t.name !== name) {
      throw new Error(`Invalid plist: expected </${name}>, got ${describe(t)}`);
    }
    return body;
  };
  const plist = next();
  if (plist.kind !== "open" || plist.name !== "plist") {
    throw new Error("Invalid plist: the document does not start with <plist>");
  }
  const root = value(next());
  if (typeof root !== "object" || Array.isArray(root)) {
    throw new Error("Invalid plist: the top-level value is not a <dict>");
  }
  const str = (v: PlistValue | undefined) => typeof v === "string" ? v : undefined;
  const args = Array.isArray(root.ProgramArguments) ? root.ProgramArguments : [];
  const env = root.EnvironmentVariables;
  const environment: Record<string, string> = {};
  if (env && typeof env === "object" && !Array.isArray(env)) {
    for (const [k, v] of Object.entries(env)) if (typeof v === "string") environment[k] = v;
  }
  const result: LaunchdPlist = {
    programArguments: args.filter((a): a is string => typeof a === "string"),
    environment,
    raw: root,
  };
  const optional = {
    label: str(root.Label),
    comment: str(root.Comment),
    workingDirectory: str(root.WorkingDirectory),
    standardOutPath: str(root.StandardOutPath),
    standardErrorPath: str(root.StandardErrorPath),
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) result[k as keyof typeof optional] = v;
  }
  return result;
}

function string(value: string): string {
  return `<string>${escapeXml(value)}</string>`;
}

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

type Token =
  | { kind: "open" | "close" | "empty"; name: string }
  | { kind: "text"; text: string };

function describe(token: Token): string {
  if (token.kind === "text") return `text ${JSON.stringify(token.text.slice(0, 40))}`;
  return token.kind === "close" ? `</${token.name}>` : `<${token.name}>`;
}

/** Tags and non-blank text; skips the XML declaration, DOCTYPE and comments. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z]+)[^>]*?(\/?)>|([^<]+)/g;
  for (const m of text.matchAll(re)) {
    if (m[2]) {
      tokens.push({ kind: m[1] ? "close" : m[3] ? "empty" : "open", name: m[2] });
    } else if (m[4] !== undefined && m[4].trim() !== "") {
      tokens.push({ kind: "text", text: unescapeXml(m[4]) });
    } else if (m[4] !== undefined && tokens.at(-1)?.kind === "open") {
      // Whitespace-only text matters inside <string> and <key>.
      const open = tokens.at(-1) as { name: string };
      if (open.name === "string" || open.name === "key") {
        tokens.push({ kind: "text", text: m[4] });
      }
    }
  }
  return tokens;
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X"
        ? parseInt(ref.slice(2), 16)
        : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[ref.toLowerCase()] ?? "";
  });
}
