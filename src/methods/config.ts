/**
 * `config.get`, `config.schema`, `config.set`, `config.patch`, `config.apply`:
 * what a control UI uses to read and change the config file. Writes are
 * compare-and-swap on the file's hash (`baseHash`), validated completely
 * before anything is written, atomic, and applied right away.
 *
 * Answers carry `config` as written in the file: `${VAR}` references are not
 * substituted, so secrets kept in the environment never go out over the wire,
 * and secrets written in the file go out masked (`config/redact.ts`); a write
 * that sends the mask back keeps the stored secret.
 *
 * `config.validate` checks a file text completely and says what saving it
 * would do per changed key (live or restart), writing nothing.
 *
 * @module
 */

import type { Static } from "@sinclair/typebox";
import JSON5 from "json5";
import type {
  ConfigApplyParams,
  ConfigGetResult,
  ConfigIssue,
  ConfigSetParams,
  ConfigValidateParams,
  ConfigValidateResult,
} from "../../protocol/schemas/config.ts";
import { modeOf, previewChange, writeMode } from "../config/change_preview.ts";
import { nestedTooDeep, TOO_DEEP } from "../config/depth.ts";
import { type ConfigSnapshot, parseConfigText, readConfig } from "../config/load.ts";
import {
  redactConfig,
  redactConfigText,
  restoreConfigPatch,
  restoreConfigText,
} from "../config/redact.ts";
import type { Env } from "../config/paths.ts";
import type { WriteThroughOptions } from "../config/reload.ts";
import type { Runnable } from "../config/runnable.ts";
import { ConfigSchema } from "../config/schema.ts";
import { writeFileAtomic } from "../config/write.ts";
import { invalidRequest } from "../errors.ts";
import type { HandlerTable } from "../server/router.ts";
import { VERSION } from "../version.ts";

/** What the config handlers read and do. */
export interface ConfigMethodDeps {
  /** The config file. */
  path: string;
  /** For `${VAR}` substitution when validating. */
  env: Env;
  /** Whether a config could run: the gateway's own start-up check (`checkRunnable`). */
  check(snapshot: ConfigSnapshot): Runnable;
  /**
   * Runs `change` with other config changes held off, then applies the
   * snapshot it wrote (`GatewayProcess.writeConfig`).
   */
  write(change: () => Promise<ConfigSnapshot>, opts: WriteThroughOptions): Promise<unknown>;
  /** What `config.apply` adds to its delay in `restartExpectedMs`. */
  restartExpectedMs: number;
  /** The config in force, what `config.validate` diffs against (default: the file on disk). */
  current?(): ConfigSnapshot;
}

type SetParams = Static<typeof ConfigSetParams>;
type ApplyParams = Static<typeof ConfigApplyParams>;
type ValidateParams = Static<typeof ConfigValidateParams>;
type ValidateResult = Static<typeof ConfigValidateResult>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * JSON merge patch (RFC 7396): objects merge key by key, `null` deletes a
 * key, anything else (arrays included) replaces the value.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = mergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value);
    // defineProperty: a "__proto__" key stays a plain key, never a prototype.
    Object.defineProperty(out, key, {
      value: merged,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function short(hash: string): string {
  return hash.slice(0, 12);
}

/** Rejects a write whose `baseHash` does not match the file as it is now. */
function checkBaseHash(method: string, current: ConfigSnapshot, baseHash: string | undefined) {
  if (baseHash === undefined) {
    if (!current.exists) return;
    throw invalidRequest(
      `${method} needs baseHash because ${current.path} exists; nothing written ` +
        "(call config.get and pass its hash)",
    );
  }
  if (baseHash !== current.hash) {
    throw invalidRequest(
      `Config changed since baseHash ${short(baseHash)} was read (now ${
        short(current.hash)
      }); nothing written (call config.get again and redo the change)`,
      { currentHash: current.hash },
    );
  }
}

function placeholderProblem(path: string, issues: ConfigIssue[]): string {
  return issues.map((i) => `${path}${i.line ? `:${i.line}` : ""}: ${i.path}: ${i.message}`)
    .join("; ");
}

/** Parses and fully checks `raw`; throws INVALID_REQUEST naming line and key. */
async function validated(deps: ConfigMethodDeps, raw: string): Promise<ConfigSnapshot> {
  const snap = await parseConfigText(deps.path, raw, deps.env);
  const verdict = deps.check(snap);
  if (verdict.ok) return snap;
  // Schema issues are listed bare: "fix the file" advice does not fit a write that did not happen.
  const problem = snap.config
    ? verdict.message
    : snap.issues.map((i) =>
      `${deps.path}${i.line ? `:${i.line}` : ""}: ${i.path ? `${i.path}: ` : ""}${i.message}`
    ).join("; ");
  throw invalidRequest(`Config rejected, nothing written: ${problem}`, { issues: verdict.issues });
}

/**
 * The config of an answer: the file's value as parsed, `${VAR}` left as
 * written (substituted values may be secrets), secrets masked; `{}` when
 * invalid or missing.
 */
function shownConfig(snap: ConfigSnapshot): unknown {
  return snap.config && snap.parsed !== undefined ? redactConfig(snap.parsed) : {};
}

/** `raw` with masked secrets put back from the file as it is now; throws naming the key. */
function restoredText(method: string, current: ConfigSnapshot, raw: string): string {
  const restored = restoreConfigText(raw, current.parsed);
  if (restored.issues.length === 0) return restored.value;
  throw invalidRequest(
    `${method} rejected, nothing written: ${placeholderProblem(current.path, restored.issues)}`,
    { issues: restored.issues },
  );
}

/** The text `config.patch` writes: the merged config as JSON (comments are not kept). */
function patchedText(method: string, current: ConfigSnapshot, raw: string): string {
  let patch: unknown;
  try {
    patch = JSON5.parse(raw);
  } catch (err) {
    throw invalidRequest(
      `${method} raw is not valid JSON5: ${(err as Error).message} (send a JSON merge patch)`,
    );
  }
  if (!isPlainObject(patch)) {
    throw invalidRequest(`${method} raw must be a JSON object (a JSON merge patch)`);
  }
  if (nestedTooDeep(patch)) throw invalidRequest(`${method} raw is ${TOO_DEEP}`);
  if (current.exists && !isPlainObject(current.parsed)) {
    throw invalidRequest(
      `Cannot patch ${current.path}: it does not parse as a JSON5 object ` +
        "(replace it with config.set)",
    );
  }
  const restored = restoreConfigPatch(patch, current.parsed);
  if (restored.issues.length) {
    throw invalidRequest(
      `${method} rejected, nothing written: ${placeholderProblem(current.path, restored.issues)}`,
      { issues: restored.issues },
    );
  }
  return JSON.stringify(mergePatch(current.parsed ?? {}, restored.value), null, 2) + "\n";
}

/** Builds the `config.*` handlers. */
export function configHandlers(deps: ConfigMethodDeps): HandlerTable {
  const schema = JSON.parse(JSON.stringify(ConfigSchema));
  const generatedAt = new Date().toISOString();

  /** Read, compare, validate, write, apply: all under the write lock. */
  const replace = async (
    method: string,
    params: SetParams,
    opts: { patch?: boolean; restartInMs?: number } = {},
  ) => {
    let written!: ConfigSnapshot;
    await deps.write(async () => {
      const current = await readConfig(deps.path, deps.env);
      checkBaseHash(method, current, params.baseHash);
      const text = opts.patch
        ? patchedText(method, current, params.raw)
        : restoredText(method, current, params.raw);
      written = await validated(deps, text);
      await writeFileAtomic(deps.path, text);
      return written;
    }, { source: method, restartInMs: opts.restartInMs });
    return { ok: true, path: deps.path, hash: written.hash, config: shownConfig(written) };
  };

  return {
    "config.get": async (): Promise<ConfigGetResult> => {
      const snap = await readConfig(deps.path, deps.env);
      return {
        path: snap.path,
        exists: snap.exists,
        raw: snap.raw === null ? null : redactConfigText(snap.raw, snap.parsed),
        ...(snap.parsed !== undefined ? { parsed: redactConfig(snap.parsed) } : {}),
        config: shownConfig(snap),
        hash: snap.hash,
        valid: snap.config !== undefined,
        issues: snap.issues,
      };
    },
    "config.schema": () => ({ schema, uiHints: {}, version: VERSION, generatedAt }),
    "config.set": (params: SetParams) => replace("config.set", params),
    "config.patch": (params: SetParams) => replace("config.patch", params, { patch: true }),
    "config.validate": (params: ValidateParams) => validate(deps, params),
    "config.apply": async (params: ApplyParams) => {
      const delay = params.restartDelayMs ?? 0;
      const res = await replace("config.apply", params, { restartInMs: delay });
      return { ...res, restartExpectedMs: delay + deps.restartExpectedMs };
    },
  };
}

/** `config.validate`: what `config.set` would say about `raw`, and what it would do. */
async function validate(deps: ConfigMethodDeps, p: ValidateParams): Promise<ValidateResult> {
  const onDisk = await readConfig(deps.path, deps.env);
  const current = deps.current?.() ?? onDisk;
  const stale = p.baseHash !== undefined && p.baseHash !== onDisk.hash;
  const base = { hash: onDisk.hash, stale, mode: "hybrid" as const, restart: false, changes: [] };
  const restored = restoreConfigText(p.raw, onDisk.parsed);
  if (restored.issues.length) return { ...base, valid: false, issues: restored.issues };
  const snap = await parseConfigText(deps.path, restored.value, deps.env);
  const verdict = deps.check(snap);
  if (!verdict.ok) {
    // Schema issues stand alone; a refusal to run also carries the whole message.
    return {
      ...base,
      valid: false,
      issues: snap.config ? verdict.issues : snap.issues,
      ...(snap.config ? { message: verdict.message } : {}),
    };
  }
  const mode = writeMode(modeOf(deps.check(current)), verdict.settings.reload.mode);
  return { ...base, valid: true, issues: [], ...previewChange(current, snap, mode) };
}
