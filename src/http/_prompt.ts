/**
 * Turns an OpenAI-style conversation into one agent turn: system/developer
 * text becomes the extra system prompt, earlier turns the (unpersisted)
 * history, the last user or tool turn the message; image parts of that turn
 * become images. Used by both OpenAI-compatible endpoints. Private to
 * `src/http/`.
 *
 * @module
 */

import type { AgentMessage, ImagePart } from "../agent/types.ts";
import { badRequest } from "./_common.ts";
import type { ImageLimits } from "./config.ts";

/** Text with no image, as the spec words it. */
export const IMAGE_ONLY_TEXT = "User sent image(s) with no text.";

/** Mime types accepted for images. */
export const IMAGE_MIMES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/heic",
  "image/heif",
];

/** One turn, normalised. */
export interface Turn {
  role: "system" | "user" | "assistant" | "tool";
  text: string;
  /** Raw image references of the turn (data URIs or base64 sources). */
  images: Array<{ mime?: string; data?: string; url?: string }>;
  /** `tool` turns: the call they answer. */
  callId?: string;
}

/** What a run needs. */
export interface TurnPrompt {
  message: string;
  history: AgentMessage[];
  extraSystemPrompt?: string;
  images: ImagePart[];
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded size of base64 text. */
export function base64Bytes(data: string): number {
  const pad = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.floor(data.length * 3 / 4) - pad;
}

/** Parses `data:<mime>;base64,<data>`; `undefined` when it is not one. */
export function parseDataUri(uri: string): { mime: string; data: string } | undefined {
  const m = /^data:([a-z0-9.+/-]+);base64,/i.exec(uri);
  if (!m) return undefined;
  return { mime: m[1].toLowerCase(), data: uri.slice(m[0].length) };
}

/**
 * Checks and decodes-by-size the images of the current turn; `invalid` is
 * the 400 text of the endpoint.
 */
function checkImages(
  images: Turn["images"],
  limits: ImageLimits,
  invalid: string,
): ImagePart[] {
  if (images.length > limits.maxParts) {
    throw badRequest(`Too many images: at most ${limits.maxParts} in the latest user message`);
  }
  let total = 0;
  return images.map((img) => {
    if (img.url !== undefined || !img.mime || img.data === undefined) {
      throw badRequest(
        `${invalid} Only base64 data (data: URIs) is accepted; image URLs are not fetched`,
      );
    }
    if (!IMAGE_MIMES.includes(img.mime)) {
      throw badRequest(
        `${invalid} Image type "${img.mime}" is not one of ${IMAGE_MIMES.join(", ")}`,
      );
    }
    if (img.data.length === 0 || img.data.length % 4 !== 0 || !BASE64_RE.test(img.data)) {
      throw badRequest(`${invalid} The image data is not valid base64`);
    }
    const bytes = base64Bytes(img.data);
    if (bytes > limits.maxBytes) {
      throw badRequest(`${invalid} An image is larger than ${limits.maxBytes} bytes`);
    }
    total += bytes;
    if (total > limits.maxTotalBytes) {
      throw badRequest(`${invalid} The images are larger than ${limits.maxTotalBytes} bytes`);
    }
    return { type: "image", data: img.data, mimeType: img.mime };
  });
}

/**
 * Builds the turn from normalised turns. `missing` is the 400 text when no
 * user or tool turn exists.
 */
export function buildTurn(
  turns: Turn[],
  opts: { limits: ImageLimits; missing: string; invalidImage: string; systemExtra?: string[] },
): TurnPrompt {
  const system = turns.filter((t) => t.role === "system" && t.text.trim()).map((t) => t.text);
  system.push(...(opts.systemExtra ?? []));
  const convo = turns.filter((t) => t.role !== "system");
  let current = -1;
  for (let i = convo.length - 1; i >= 0; i--) {
    if (convo[i].role === "user" || convo[i].role === "tool") {
      current = i;
      break;
    }
  }
  const turn = current >= 0 ? convo[current] : undefined;
  const images = turn ? checkImages(turn.images, opts.limits, opts.invalidImage) : [];
  const text = turn ? turnText(turn) : "";
  if (!text.trim() && images.length === 0) throw badRequest(opts.missing);
  const now = Date.now();
  const history: AgentMessage[] = convo.slice(0, Math.max(0, current)).flatMap(
    (t): AgentMessage[] => {
      const body = turnText(t);
      if (!body.trim()) return [];
      return t.role === "assistant"
        ? [{ role: "assistant", content: [{ type: "text", text: body }], timestamp: now }]
        : [{ role: "user", content: body, timestamp: now }];
    },
  );
  return {
    message: text.trim() ? text : IMAGE_ONLY_TEXT,
    history,
    ...(system.length ? { extraSystemPrompt: system.join("\n\n") } : {}),
    images,
  };
}

function turnText(t: Turn): string {
  return t.role === "tool" ? `Tool:${t.callId ?? "call"}\n${t.text}` : t.text;
}
