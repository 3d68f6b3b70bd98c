/**
 * Config RPCs: read, validate, replace, patch and apply the config file.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";
import { literals } from "../literals.ts";

const closed = { additionalProperties: false } as const;

/** One problem in a config file, located as precisely as the parser allows. */
export const ConfigIssue = Type.Object({
  path: Type.String(),
  message: Type.String(),
  line: Type.Optional(Type.Integer({ minimum: 1 })),
  column: Type.Optional(Type.Integer({ minimum: 1 })),
}, closed);
/** The static type of {@link ConfigIssue}. */
export type ConfigIssue = Static<typeof ConfigIssue>;

/** Whether the running gateway's config file is healthy (shown in `health` and `status`). */
export const ConfigState = Type.Object({
  path: Type.String(),
  valid: Type.Boolean(),
  hash: Type.Optional(Type.String()),
  issues: Type.Array(ConfigIssue),
  /** Set while the file on disk is invalid and the gateway keeps its last good config. */
  lastReloadError: Type.Optional(Type.String()),
}, closed);
/** The static type of {@link ConfigState}. */
export type ConfigState = Static<typeof ConfigState>;

/** Params of `config.get`. */
export const ConfigGetParams = Type.Object({}, closed);
/** Result of `config.get`. */
export const ConfigGetResult = Type.Object({
  path: Type.String(),
  exists: Type.Boolean(),
  raw: Type.Union([Type.String(), Type.Null()]),
  parsed: Type.Optional(Type.Unknown()),
  /** The file's config as written: `${VAR}` references not substituted; `{}` when invalid. */
  config: Type.Unknown(),
  hash: Type.String(),
  valid: Type.Boolean(),
  issues: Type.Array(ConfigIssue),
}, closed);
/** Result of `config.get`. */
export type ConfigGetResult = Static<typeof ConfigGetResult>;

/** Params of `config.schema`. */
export const ConfigSchemaParams = Type.Object({}, closed);
/** Result of `config.schema`. */
export const ConfigSchemaResult = Type.Object({
  schema: Type.Unknown(),
  uiHints: Type.Record(Type.String(), Type.Unknown()),
  version: Type.String(),
  generatedAt: Type.String(),
}, closed);

/** Params of `config.set`. */
export const ConfigSetParams = Type.Object({
  raw: Type.String(),
  baseHash: Type.Optional(Type.String()),
}, closed);
/** Result of `config.set`. */
export const ConfigSetResult = Type.Object({
  ok: Type.Boolean(),
  path: Type.String(),
  hash: Type.String(),
  /** The file's config as written: `${VAR}` references not substituted; `{}` when invalid. */
  config: Type.Unknown(),
}, closed);

/** Params of `config.validate`: the full file text `config.set` would write. */
export const ConfigValidateParams = Type.Object({
  raw: Type.String({ maxLength: 1_048_576 }),
  baseHash: Type.Optional(Type.String({ maxLength: 128 })),
}, closed);

/** One changed key and what writing it would do. */
export const ConfigKeyEffect = Type.Object({
  path: Type.String(),
  /** `hot`: applied live by `action`; `none`: read live; `restart`: the gateway restarts. */
  effect: literals(["hot", "none", "restart"] as const),
  action: Type.Optional(Type.String()),
}, closed);

/**
 * Result of `config.validate`: nothing is written. `valid` with the issues
 * by key and line (parse, schema, or what the gateway would refuse to run),
 * `stale` when `baseHash` no longer matches the file, and what saving would
 * do per changed key (`changes`, `restart`).
 */
export const ConfigValidateResult = Type.Object({
  valid: Type.Boolean(),
  /** Hash of the file on disk now (pass it as `baseHash` after a reload). */
  hash: Type.String(),
  stale: Type.Boolean(),
  issues: Type.Array(ConfigIssue),
  /** The whole refusal when the gateway would not run the config. */
  message: Type.Optional(Type.String()),
  mode: literals(["hybrid", "hot", "restart"] as const),
  restart: Type.Boolean(),
  changes: Type.Array(ConfigKeyEffect),
}, closed);

/** Params of `config.patch`. */
export const ConfigPatchParams = ConfigSetParams;
/** Result of `config.patch`. */
export const ConfigPatchResult = ConfigSetResult;

/** Params of `config.apply`. */
export const ConfigApplyParams = Type.Object({
  raw: Type.String(),
  baseHash: Type.Optional(Type.String()),
  sessionKey: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
  restartDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
}, closed);
/** Result of `config.apply`. */
export const ConfigApplyResult = Type.Object({
  ok: Type.Boolean(),
  path: Type.String(),
  hash: Type.String(),
  /** The file's config as written: `${VAR}` references not substituted; `{}` when invalid. */
  config: Type.Unknown(),
  restartExpectedMs: Type.Integer({ minimum: 0 }),
}, closed);
