/**
 * `POST /tools/invoke` (spec http.md section 3): runs one tool the agent's
 * tool policy allows, minus the HTTP deny list (tools that touch the host's
 * files, processes or network, and the ones that act for the gateway) unless
 * `gateway.tools.allow` names them.
 *
 * @module
 */

import { canonicalToolName, HTTP_INVOKE_DEFAULT_DENY } from "../agent/tools/policy.ts";
import type { ToolResult } from "../agent/types.ts";
import { badRequest, HttpError, json, readJsonObject } from "./_common.ts";
import { type ApiContext, needAgent } from "./_context.ts";
import { isObject, optString } from "./_validate.ts";

/** Denied over HTTP besides {@link HTTP_INVOKE_DEFAULT_DENY} (newer builds' list). */
export const HTTP_DENY_EXTRA = ["sessions_spawn", "sessions_send", "gateway", "whatsapp_login"];

/** Longest a tool may run for an HTTP caller. */
export const TOOL_INVOKE_TIMEOUT_MS = 120_000;

/** Whether `name` (canonical) may run over HTTP under `gateway.tools`. */
function allowedOverHttp(name: string, cfg: { allow: string[]; deny: string[] }): boolean {
  const allow = cfg.allow.map(canonicalToolName);
  const deny = cfg.deny.map(canonicalToolName);
  if (deny.includes(name)) return false;
  if ([...HTTP_INVOKE_DEFAULT_DENY, ...HTTP_DENY_EXTRA].includes(name)) return allow.includes(name);
  return true;
}

function notFound(name: string): HttpError {
  return new HttpError(404, "not_found", `Tool not available: ${name}`);
}

function textOf(r: ToolResult): string {
  return r.content.map((c) => (c.type === "text" ? c.text : `[${c.mimeType} image]`)).join("\n");
}

/** `POST /tools/invoke`. */
export async function toolsInvoke(req: Request, ctx: ApiContext): Promise<Response> {
  const agent = needAgent(ctx);
  const body = await readJsonObject(req, ctx.settings.tools.maxBodyBytes);
  const tool = optString(body, "tool", 128);
  if (!tool?.trim()) throw badRequest('Missing tool: send {"tool": "<name>", "args": {...}}');
  const action = optString(body, "action", 128);
  if (body.args !== undefined && !isObject(body.args)) {
    throw badRequest("Invalid args: expected a JSON object");
  }
  const args = { ...(body.args as Record<string, unknown> | undefined) };
  const rawKey = optString(body, "sessionKey", 512)?.trim();
  const agents = agent.agents();
  const sessionKey = !rawKey || rawKey.toLowerCase() === "main"
    ? `agent:${agents.defaultId}:${agents.mainKey}`
    : rawKey;
  const keyAgent = /^agent:([^:]+):/i.exec(sessionKey)?.[1]?.toLowerCase();
  const agentId = keyAgent && agents.ids.includes(keyAgent) ? keyAgent : agents.defaultId;

  const name = canonicalToolName(tool);
  const found = agent.tools(agentId).find((t) => t.name === name);
  if (!found || !allowedOverHttp(name, ctx.settings.tools)) throw notFound(tool.slice(0, 128));
  const props = (found.parameters as { properties?: Record<string, unknown> }).properties;
  if (action !== undefined && props && "action" in props && args.action === undefined) {
    args.action = action;
  }

  const id = `http-tool-${crypto.randomUUID()}`;
  // Not req.signal: Deno's legacy serve aborts it on a normal answer too.
  const signal = AbortSignal.timeout(TOOL_INVOKE_TIMEOUT_MS);
  let result: ToolResult;
  try {
    result = await found.execute(args, {
      agentId,
      sessionKey,
      runId: id,
      toolCallId: id,
      workspace: await agent.workspace(agentId),
      signal,
      onUpdate: () => {},
      // No operator is in this loop: an approval is denied.
      requestApproval: () => Promise.resolve("deny"),
      sessions: agent.sessions(),
    });
  } catch (err) {
    throw new HttpError(400, "tool_error", (err as Error).message ?? String(err));
  }
  if (result.isError) throw new HttpError(400, "tool_error", textOf(result));
  return json(200, { ok: true, result }, ctx.settings.headers);
}
