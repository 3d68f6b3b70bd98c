/**
 * Writes the generated protocol files from the registries:
 * `deno task protocol:gen` (JSON Schema) and `deno task protocol:gen:swift`.
 * Pass `--check` to fail when a file on disk is stale instead of writing.
 *
 * @module
 */

import type { TSchema } from "@sinclair/typebox";
import { EventFrame, GatewayFrame, RequestFrame, ResponseFrame, StateVersion } from "./frames.ts";
import { ErrorShape } from "./errors.ts";
import { EVENTS } from "./events.ts";
import { METHODS } from "./methods.ts";
import { ConnectParams, HelloOk, Policy, Snapshot } from "./schemas/connect.ts";
import { PresenceEntry } from "./schemas/presence.ts";
import { HealthSnapshot } from "./schemas/system.ts";
import { ConfigIssue, ConfigState } from "./schemas/config.ts";
import { NodeInfo } from "./schemas/node.ts";
import { MAX_PROTOCOL, MIN_PROTOCOL } from "./version.ts";
import { renderSwift } from "./_swift.ts";

/** Where generated files live, relative to this module. */
export const GEN_DIR = new URL("./gen/", import.meta.url);
export const JSON_SCHEMA_FILE = new URL("protocol.schema.json", GEN_DIR);
export const SWIFT_FILE = new URL("GatewayModels.swift", GEN_DIR);

function pascal(name: string): string {
  return name.split(/[.\-_]/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
}

/** Every named definition: frames, shared shapes, each method's params/result, each event. */
export function protocolDefinitions(): Record<string, TSchema> {
  const defs: Record<string, TSchema> = {
    RequestFrame,
    ResponseFrame,
    EventFrame,
    GatewayFrame,
    ErrorShape,
    StateVersion,
    ConnectParams,
    HelloOk,
    Snapshot,
    Policy,
    PresenceEntry,
    HealthSnapshot,
    ConfigIssue,
    ConfigState,
    NodeInfo,
  };
  for (const [name, def] of Object.entries(METHODS)) {
    defs[`${pascal(name)}Params`] = def.params;
    defs[`${pascal(name)}Result`] = def.result;
  }
  for (const [name, def] of Object.entries(EVENTS)) defs[`${pascal(name)}Event`] = def.payload;
  return defs;
}

/** Plain JSON of a TypeBox schema (symbols dropped). */
function plain(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema));
}

/** The JSON Schema document: definitions plus method and event tables. */
export function renderJsonSchema(): string {
  const definitions = Object.fromEntries(
    Object.entries(protocolDefinitions()).map(([k, v]) => [k, plain(v)]),
  );
  const doc = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://openclaw.ai/schema/gateway-protocol.json",
    title: "OpenClaw gateway protocol",
    "x-protocol": { min: MIN_PROTOCOL, max: MAX_PROTOCOL },
    "x-methods": Object.fromEntries(
      Object.entries(METHODS).map(([name, def]) => [name, {
        params: `#/definitions/${pascal(name)}Params`,
        result: `#/definitions/${pascal(name)}Result`,
        scope: def.scope,
        ...("idempotent" in def ? { idempotent: true } : {}),
      }]),
    ),
    "x-events": Object.fromEntries(
      Object.entries(EVENTS).map(([name, def]) => [name, {
        payload: `#/definitions/${pascal(name)}Event`,
        audience: def.audience,
      }]),
    ),
    definitions,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/** The Swift models. */
export function renderSwiftModels(): string {
  const defs = Object.fromEntries(
    Object.entries(protocolDefinitions()).map(([k, v]) => [k, plain(v)]),
  );
  return renderSwift(defs as Parameters<typeof renderSwift>[0], {
    header: `OpenClaw gateway protocol ${MIN_PROTOCOL}-${MAX_PROTOCOL}`,
  });
}

async function main(args: string[]): Promise<number> {
  const kind = args[0];
  const check = args.includes("--check");
  const target = kind === "json"
    ? { file: JSON_SCHEMA_FILE, text: renderJsonSchema(), task: "protocol:gen" }
    : kind === "swift"
    ? { file: SWIFT_FILE, text: renderSwiftModels(), task: "protocol:gen:swift" }
    : undefined;
  if (!target) {
    console.error(`Unknown generator "${kind ?? ""}": use "json" or "swift"`);
    return 2;
  }
  if (check) {
    const current = await Deno.readTextFile(target.file).catch(() => "");
    if (current !== target.text) {
      console.error(`${target.file.pathname} is stale: run "deno task ${target.task}"`);
      return 1;
    }
    return 0;
  }
  await Deno.mkdir(GEN_DIR, { recursive: true });
  await Deno.writeTextFile(target.file, target.text);
  console.log(`wrote ${target.file.pathname}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
