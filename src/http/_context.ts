/**
 * What one API request's handler gets: the settings in force, the agent and
 * the caller's address. Private to `src/http/`.
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";
import type { HttpAgent } from "./_agent.ts";
import { agentUnavailable } from "./_agent.ts";
import type { HttpSettings } from "./config.ts";
import type { ImageFetchDeps } from "./_image_fetch.ts";

/** Per-request inputs of an endpoint handler. */
export interface ApiContext {
  remoteIp: string;
  /** The request URL, parsed once by the transport (never re-parse `req.url`). */
  url: URL;
  settings: HttpSettings;
  /** Absent while the gateway runs without an agent. */
  agent?: HttpAgent;
  log: Logger;
  /** Runtime edges of image URL fetches (tests). */
  imageFetch?: ImageFetchDeps;
}

/** The agent, or 503. */
export function needAgent(ctx: ApiContext): HttpAgent {
  if (!ctx.agent) throw agentUnavailable();
  return ctx.agent;
}

/** An endpoint: returns its answer or throws an `HttpError`. */
export type Endpoint = (req: Request, ctx: ApiContext) => Promise<Response>;
