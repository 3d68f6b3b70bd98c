/**
 * Reads, parses and validates the config file. Pure apart from the one read,
 * so reload can build and check a candidate before swapping it in.
 *
 * @module
 */

import JSON5 from "json5";
import type { ConfigIssue } from "../../protocol/schemas/config.ts";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Value } from "@sinclair/typebox/value";
import type { Env } from "./paths.ts";
import { listIssues, MAX_LISTED_ISSUES } from "./_locate.ts";
import { nestedTooDeep, TOO_DEEP } from "./depth.ts";
import { modelRefIssues } from "../agent/providers/refs.ts";
import { Redactor } from "../log/redact.ts";
import { ConfigSchema, type GatewayConfig } from "./schema.ts";

/** A config file as read: its text, hash, and either a valid config or its issues. */
export interface ConfigSnapshot {
  path: string;
  exists: boolean;
  /** File text, `null` when the file does not exist. */
  raw: string | null;
  /** SHA-256 (hex) of the text; of the empty string when missing. */
  hash: string;
  /** JSON5-parsed value before validation, when it parsed. */
  parsed?: unknown;
  /** The validated config (env substituted); `{}` when missing. Absent when invalid. */
  config?: GatewayConfig;
  issues: ConfigIssue[];
  /**
   * Values substituted from `${NAME}` references, with their names: logs and
   * answers show the reference in place of the value (see `log/redact.ts`).
   */
  substituted?: [value: string, name: string][];
}

/** Thrown where a start cannot go on with an invalid config. */
export class ConfigError extends Error {
  constructor(readonly path: string, readonly issues: ConfigIssue[]) {
    super(formatIssues(path, issues));
    this.name = "ConfigError";
  }
}

/** `Invalid config /x/openclaw.json:3: gateway.port must be integer (fix the file ...)`. */
export function formatIssues(path: string, issues: ConfigIssue[]): string {
  const lines = issues.map((i) =>
    `${path}${i.line ? `:${i.line}` : ""}: ${i.path ? `${i.path}: ` : ""}${i.message}`
  );
  return `Invalid config ${
    lines.join("; ")
  } (fix the file, then run "openclaw doctor" to check it)`;
}

/**
 * The `gateway.port` a config file names, read even from an invalid file
 * when that value itself is a valid port (diagnostic commands still need it).
 */
export function configuredPort(snap: ConfigSnapshot): number | undefined {
  const value = snap.config?.gateway?.port ??
    (snap.parsed as { gateway?: { port?: unknown } } | undefined)?.gateway?.port;
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535
    ? value as number
    : undefined;
}

/** SHA-256 hex of a string. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Config validation wants every issue at once, unlike frame validation.
// Compiled only for a config that fails the quick check: building AJV's
// all-errors validator of the whole config schema costs ~35 MB of RSS that
// V8 keeps for the life of the process, and ~130 ms of start-up.
let validateConfig: ValidateFunction | undefined;

/** Every schema error of `value`, or `undefined` when it is a valid config. */
function configErrors(value: unknown): ErrorObject[] | undefined {
  // TypeBox's own checker, interpreted: a few ms and ~1 MB. AJV stays the
  // judge of a config it rejects (a test keeps the two in agreement).
  if (Value.Check(ConfigSchema, value)) return undefined;
  validateConfig ??= new Ajv({ allErrors: true, strict: false, validateSchema: false })
    .compile(ConfigSchema);
  return validateConfig(value) ? undefined : (validateConfig.errors ?? []);
}

const ENV_REF = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** What substitution found: problems, and each value put in with its variable's name. */
interface Substitution {
  issues: ConfigIssue[];
  refs: [value: string, name: string][];
}

function substituteEnv(value: unknown, env: Env, path: string, acc: Substitution): unknown {
  if (typeof value === "string") {
    return value.replace(ENV_REF, (_, name: string) => {
      const v = env[name];
      if (v === undefined) {
        acc.issues.push({ path, message: `environment variable ${name} is not set` });
        return "";
      }
      if (v) acc.refs.push([v, name]);
      return v;
    });
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => substituteEnv(v, env, `${path}.${i}`, acc));
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = substituteEnv(v, env, path ? `${path}.${k}` : k, acc);
    }
    return out;
  }
  return value;
}

/** Parses and validates config text; never throws. */
export async function parseConfigText(
  path: string,
  raw: string,
  env: Env,
): Promise<ConfigSnapshot> {
  const hash = await sha256Hex(raw);
  const snap: ConfigSnapshot = { path, exists: true, raw, hash, issues: [] };
  if (raw.trim() === "") {
    snap.issues.push({
      path: "",
      message: "file is empty (write {} for an empty config)",
      line: 1,
    });
    return snap;
  }
  let parsed: unknown;
  try {
    parsed = JSON5.parse(raw);
  } catch (err) {
    const e = err as { lineNumber?: number; columnNumber?: number; message: string };
    snap.issues.push({
      path: "",
      message: `not valid JSON5: ${e.message.replace(/^JSON5: /, "")}`,
      line: e.lineNumber,
      column: e.columnNumber,
    });
    return snap;
  }
  if (nestedTooDeep(parsed)) {
    snap.issues.push({ path: "", message: TOO_DEEP, line: 1 });
    return snap;
  }
  snap.parsed = parsed;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    snap.issues.push({ path: "", message: "the top level must be an object", line: 1 });
    return snap;
  }
  const errors = configErrors(parsed);
  if (errors) {
    const found: ConfigIssue[] = [];
    for (const err of errors) {
      if (err.keyword === "const") continue; // the anyOf entry for the same key says it once
      if (found.length >= MAX_LISTED_ISSUES) break; // the rest are counted (listIssues)
      let key = err.instancePath.slice(1).replaceAll("/", ".");
      let message = err.message ?? "is invalid";
      if (err.keyword === "additionalProperties") {
        const extra = (err.params as { additionalProperty: string }).additionalProperty;
        key = key ? `${key}.${extra}` : extra;
        message = "unknown key";
      } else if (err.keyword === "anyOf") {
        const allowed = errors
          .filter((e) => e.keyword === "const" && e.instancePath === err.instancePath)
          .map((e) => JSON.stringify((e.params as { allowedValue: unknown }).allowedValue));
        message = allowed.length ? `must be one of ${allowed.join(", ")}` : "is not allowed";
      }
      found.push({ path: key, message });
    }
    snap.issues = listIssues(raw, found, errors.filter((e) => e.keyword !== "const").length);
    return snap;
  }
  const acc: Substitution = { issues: [], refs: [] };
  const config = substituteEnv(parsed, env, "", acc) as GatewayConfig;
  // A model choice no turn could use is refused here, naming its key (not at the first turn).
  if (acc.issues.length === 0) acc.issues.push(...modelRefIssues(config));
  // Issues go to RPC answers (config.validate, config.get, health): they may
  // quote a value, so a substituted one is shown as its `${NAME}`.
  const mask = new Redactor();
  mask.setSubstituted(acc.refs);
  snap.issues = listIssues(raw, acc.issues).map((issue) => ({
    ...issue,
    message: mask.text(issue.message),
  }));
  if (acc.refs.length) snap.substituted = acc.refs;
  if (acc.issues.length === 0) snap.config = config;
  return snap;
}

/** Reads the config file. A missing file is valid and means "all defaults". */
export async function readConfig(path: string, env: Env): Promise<ConfigSnapshot> {
  let raw: string;
  try {
    raw = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      return { path, exists: false, raw: null, hash: await sha256Hex(""), config: {}, issues: [] };
    }
    const reason = err instanceof Error ? err.message : String(err);
    return {
      path,
      exists: true,
      raw: null,
      hash: await sha256Hex(""),
      issues: [{ path: "", message: `cannot read the file: ${reason}` }],
    };
  }
  return await parseConfigText(path, raw, env);
}
