/**
 * The model context (transcript-shaped {@link AgentMessage}s) as the `ai`
 * SDK's messages. Pure data mapping; the `ai` import is type-only.
 *
 * Replay rules (spec 3.3): tool-call ids are sanitised to `[A-Za-z0-9]`
 * (`call_stub_1` -> `callstub1`) in both the call and its result; thinking
 * is not replayed; failed assistant turns with no content are skipped; a tool
 * call whose result is missing (an aborted run) gets a synthetic error result
 * so providers that require pairs accept the history; a result without its
 * call is dropped.
 *
 * @module
 */

import type { ModelMessage } from "ai";
import type { AgentMessage, ImagePart, TextPart, ToolResultMessage } from "../types.ts";

/** `call_stub_1` -> `callstub1`; never empty. */
function sanitizeToolCallId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9]/g, "");
  return clean || "call";
}

function resultText(content: Array<TextPart | ImagePart>): string {
  return content
    .map((p) => (p.type === "text" ? p.text : `[image ${p.mimeType} omitted]`))
    .join("\n");
}

function toolResultPart(m: ToolResultMessage) {
  const text = resultText(m.content);
  return {
    type: "tool-result" as const,
    toolCallId: sanitizeToolCallId(m.toolCallId),
    toolName: m.toolName,
    output: m.isError
      ? { type: "error-text" as const, value: text }
      : { type: "text" as const, value: text },
  };
}

/** Maps the model context to SDK messages (the system prompt goes separately). */
export function toModelMessages(messages: AgentMessage[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role === "user") {
      if (typeof m.content === "string") {
        out.push({ role: "user", content: m.content });
      } else {
        out.push({
          role: "user",
          content: m.content.map((p) =>
            p.type === "text"
              ? { type: "text" as const, text: p.text }
              : { type: "image" as const, image: p.data, mediaType: p.mimeType }
          ),
        });
      }
      continue;
    }
    if (m.role === "toolResult") continue; // emitted with its call below
    const parts = [];
    const callIds: string[] = [];
    for (const p of m.content) {
      if (p.type === "text" && p.text) parts.push({ type: "text" as const, text: p.text });
      if (p.type === "toolCall") {
        callIds.push(p.id);
        parts.push({
          type: "tool-call" as const,
          toolCallId: sanitizeToolCallId(p.id),
          toolName: p.name,
          input: p.arguments ?? {},
        });
      }
    }
    if (parts.length === 0) continue;
    out.push({ role: "assistant", content: parts });
    if (callIds.length === 0) continue;
    // The results that follow this call (up to the next non-result message).
    const results = new Map<string, ToolResultMessage>();
    let j = i + 1;
    for (; j < messages.length && messages[j].role === "toolResult"; j++) {
      const r = messages[j] as ToolResultMessage;
      if (callIds.includes(r.toolCallId)) results.set(r.toolCallId, r);
    }
    i = j - 1;
    const content = callIds.map((id) => {
      const r = results.get(id);
      if (r) return toolResultPart(r);
      const call = m.content.find((p) => p.type === "toolCall" && p.id === id);
      return toolResultPart({
        role: "toolResult",
        toolCallId: id,
        toolName: call && call.type === "toolCall" ? call.name : "unknown",
        content: [{
          type: "text",
          text: "No result provided (the run ended before the tool finished).",
        }],
        isError: true,
        timestamp: 0,
      });
    });
    out.push({ role: "tool", content });
  }
  return out;
}

const EPHEMERAL = { anthropic: { cacheControl: { type: "ephemeral" } } };

/**
 * Anthropic prompt caching as the real gateway sends it (obs.
 * `cache_control: {type:"ephemeral"}` on the system block and on the user
 * turn): the system prompt becomes a system message with the cache marker,
 * and the last user message's last text part gets one too.
 */
export function withAnthropicCaching(system: string, messages: ModelMessage[]): ModelMessage[] {
  const out: ModelMessage[] = messages.map((m) => ({ ...m }) as ModelMessage);
  for (let i = out.length - 1; i >= 0; i--) {
    const m = out[i];
    if (m.role !== "user") continue;
    const parts = typeof m.content === "string"
      ? [{ type: "text" as const, text: m.content }]
      : [...m.content];
    const last = parts.map((p) => p.type).lastIndexOf("text");
    if (last >= 0) parts[last] = { ...parts[last], providerOptions: EPHEMERAL };
    out[i] = { ...m, content: parts };
    break;
  }
  return system ? [{ role: "system", content: system, providerOptions: EPHEMERAL }, ...out] : out;
}
