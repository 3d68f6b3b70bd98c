/**
 * The default model's health (`health`, `status`, `hello-ok`): which model,
 * and whether its credential resolves. Needs the config and the catalog
 * only, so it is answered without loading the engine.
 *
 * @module
 */

import type { Env } from "../config/paths.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { Inventory } from "./providers/catalog.ts";
import { defaultChainText } from "./providers/refs.ts";
import type { ModelRef } from "./types.ts";

/** The default model and whether its credential resolves (health, status). */
export interface ModelHealth {
  model: string | null;
  credential: "config" | "env" | "none";
  /** Why the model cannot be called, when it cannot. */
  problem?: string;
}

/** The default model of `config` and whether its credential resolves (never the key). */
export function modelHealthOf(config: GatewayConfig, env: Env): ModelHealth {
  const inv = new Inventory(config, env);
  let ref: ModelRef | undefined;
  for (const text of defaultChainText(config)) {
    try {
      ref = inv.ref(text);
      break;
    } catch { /* an unparsable entry cannot be called; skip it */ }
  }
  if (!ref) return { model: null, credential: "none", problem: "No default model configured" };
  const model = `${ref.provider}/${ref.model}`;
  try {
    return { model, credential: inv.resolve(inv.ref(ref)).credential.kind };
  } catch (err) {
    return { model, credential: "none", problem: (err as Error).message };
  }
}
