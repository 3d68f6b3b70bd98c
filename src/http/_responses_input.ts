/**
 * The request body of `POST /v1/responses` (OpenResponses), validated with
 * zod (400 `"<path>: <issue>"`), and turned into one agent turn: messages
 * and `function_call_output` items become turns, `instructions` and file
 * text the system prompt. Private to `src/http/`.
 *
 * @module
 */

import { z } from "zod";
import type { ToolSchema } from "../agent/types.ts";
import { badRequest } from "./_common.ts";
import { base64Bytes, buildTurn, type Turn, type TurnPrompt } from "./_prompt.ts";
import type { HttpSettings } from "./config.ts";

/** File types whose text is given to the model. */
export const FILE_MIMES = [
  "text/plain",
  "text/markdown",
  "text/html",
  "text/csv",
  "application/json",
];

const Source = z.union([
  z.object({ type: z.literal("url"), url: z.string().max(8192) }),
  z.object({
    type: z.literal("base64"),
    media_type: z.string().max(128),
    data: z.string(),
    filename: z.string().max(256).optional(),
  }),
]);
const Part = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input_text"), text: z.string() }),
  z.object({ type: z.literal("output_text"), text: z.string() }),
  z.object({ type: z.literal("input_image"), source: Source }),
  z.object({
    type: z.literal("input_file"),
    source: Source,
    filename: z.string().max(256).optional(),
  }),
]);
const Message = z.object({
  type: z.literal("message").optional(),
  role: z.enum(["system", "developer", "user", "assistant"]),
  content: z.union([z.string(), z.array(Part).max(256)]),
});
const Item = z.union([
  Message,
  z.object({
    type: z.literal("function_call_output"),
    call_id: z.string().min(1).max(128),
    output: z.string(),
  }),
  z.object({ type: z.enum(["reasoning", "item_reference", "function_call"]) }).loose(),
]);
const FunctionTool = z.union([
  z.object({
    type: z.literal("function"),
    function: z.object({
      name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
      description: z.string().max(4096).optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  z.object({
    type: z.literal("function"),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
    description: z.string().max(4096).optional(),
    parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
]);
const ToolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({
    type: z.literal("function"),
    name: z.string().optional(),
    function: z.object({ name: z.string() }).optional(),
  }),
]);

/** The accepted body (unknown fields are dropped). */
export const ResponsesBody = z.object({
  model: z.string().max(256).optional(),
  input: z.union([z.string(), z.array(Item).max(4096)]),
  instructions: z.string().optional(),
  tools: z.array(FunctionTool).max(128).optional(),
  tool_choice: ToolChoice.optional(),
  stream: z.boolean().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  user: z.string().max(128).optional(),
});
/** A validated body. */
export type ResponsesRequest = z.infer<typeof ResponsesBody>;

/** Validates `value`; 400 with the first issue as `"<path>: <issue>"`. */
export function parseResponsesBody(value: unknown): ResponsesRequest {
  const parsed = ResponsesBody.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = deepest(parsed.error.issues[0] as Issue, []);
  throw badRequest(`${issue.path.join(".") || "body"}: ${issue.message}`);
}

type Issue = { path: PropertyKey[]; message: string; errors?: Issue[][] };

/** A union's error says "Invalid input" at the union: name the deepest branch issue instead. */
function deepest(issue: Issue, prefix: PropertyKey[]): Issue {
  const here = { path: [...prefix, ...issue.path], message: issue.message };
  if (!issue.errors?.length) return here;
  let best = here;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const cand = deepest(inner, here.path);
      if (cand.path.length > best.path.length) best = cand;
    }
  }
  return best;
}

/** Client tools after `tool_choice`. */
export function responsesTools(body: ResponsesRequest): ToolSchema[] | undefined {
  let tools: ToolSchema[] = (body.tools ?? []).map((t) => {
    const fn = "function" in t ? t.function : t;
    return {
      name: fn.name,
      description: fn.description ?? "",
      parameters: fn.parameters ?? { type: "object", properties: {} },
    };
  });
  const choice = body.tool_choice;
  if (choice === "none") return undefined;
  if (choice === "required" && !tools.length) {
    throw badRequest('tool_choice: "required" needs at least one tool in `tools`');
  }
  if (typeof choice === "object") {
    const name = choice.function?.name ?? choice.name;
    tools = tools.filter((t) => t.name === name);
    if (!tools.length) throw badRequest(`tool_choice: no tool named "${String(name)}"`);
  }
  return tools.length ? tools : undefined;
}

function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fileText(
  source: z.infer<typeof Source>,
  name: string | undefined,
  limits: HttpSettings["responses"]["files"],
): string {
  if (source.type !== "base64") {
    throw badRequest("input_file.source: file URLs are not fetched by this build; send base64");
  }
  const mime = source.media_type.toLowerCase().split(";")[0].trim();
  if (!FILE_MIMES.includes(mime)) {
    throw badRequest(
      `input_file.source.media_type: "${mime}" is not one of ${FILE_MIMES.join(", ")}`,
    );
  }
  if (base64Bytes(source.data) > limits.maxBytes) {
    throw badRequest(`input_file: larger than ${limits.maxBytes} bytes`);
  }
  let text: string;
  try {
    const bin = atob(source.data);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("input_file.source.data: not valid base64 UTF-8 text");
  }
  if (text.length > limits.maxChars) {
    throw badRequest(`input_file: more than ${limits.maxChars} characters`);
  }
  const label = escapeAttr(name ?? source.filename ?? "file");
  return `<file name="${label}">\n${text.replaceAll("</file>", "<\\/file>")}\n</file>`;
}

/**
 * The agent turn of a validated body. Image URLs of the current turn are
 * fetched through `fetchImage` (SSRF-guarded); earlier turns' images are
 * not given to the model.
 */
export async function responsesTurn(
  body: ResponsesRequest,
  settings: HttpSettings,
  fetchImage: (url: string, maxBytes: number) => Promise<{ mime: string; data: string }>,
): Promise<TurnPrompt> {
  const files: string[] = [];
  const turns: Turn[] = typeof body.input === "string"
    ? [{ role: "user", text: body.input, images: [] }]
    : body.input.flatMap((item): Turn[] => {
      if (item.type === "function_call_output") {
        const out = item as { call_id: string; output: string };
        return [{ role: "tool", text: out.output, images: [], callId: out.call_id }];
      }
      if (!("role" in item)) return [];
      const msg = item as z.infer<typeof Message>;
      const role = msg.role === "developer" ? "system" : msg.role;
      if (typeof msg.content === "string") return [{ role, text: msg.content, images: [] }];
      const texts: string[] = [];
      const images: Turn["images"] = [];
      for (const part of msg.content) {
        if (part.type === "input_text" || part.type === "output_text") texts.push(part.text);
        else if (part.type === "input_image") {
          images.push(
            part.source.type === "base64"
              ? { mime: part.source.media_type.toLowerCase(), data: part.source.data }
              : { url: part.source.url },
          );
        } else files.push(fileText(part.source, part.filename, settings.responses.files));
      }
      return [{ role, text: texts.join("\n"), images }];
    });
  const current = turns.findLast((t) => t.role === "user" || t.role === "tool");
  const limits = settings.responses.images;
  if (current && current.images.length <= limits.maxParts) {
    for (const [i, img] of current.images.entries()) {
      if (img.url !== undefined) current.images[i] = await fetchImage(img.url, limits.maxBytes);
    }
  }
  const system = [
    ...(body.instructions?.trim() ? [body.instructions] : []),
  ];
  return buildTurn([
    ...system.map((text): Turn => ({ role: "system", text, images: [] })),
    ...turns,
  ], {
    limits: settings.responses.images,
    missing: "Missing user message in `input`.",
    invalidImage: "input_image:",
    systemExtra: files,
  });
}
