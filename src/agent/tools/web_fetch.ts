/**
 * `web_fetch {url, extractMode?, maxChars?}`: GETs an http(s) URL with a
 * deadline and a byte cap, follows a few redirects (each hop re-checked),
 * refuses private and loopback destinations unless
 * `tools.web.fetch.allowPrivateNetwork`, and returns readable text marked
 * as untrusted external content.
 *
 * @module
 */

import type { Tool } from "../types.ts";
import type { FetchSettings } from "./config.ts";
import { TOOL_DEFAULTS } from "./config.ts";
import { htmlTitle, htmlToText } from "./_html.ts";
import { privateDestination, type ResolveHost, resolveWithDns } from "../net_guard.ts";
import {
  clip,
  errorResult,
  guarded,
  optNumber,
  optString,
  reqString,
  ToolFailure,
} from "./_util.ts";

/** Options of {@link createWebFetchTool}. */
export interface WebFetchToolOptions {
  settings: FetchSettings;
  /** The HTTP client (default: global fetch). */
  fetch?: typeof fetch;
  /** Name resolution for the private-destination check (default: Deno.resolveDns). */
  resolveHost?: ResolveHost;
}

/** Wraps fetched text so the model treats it as data, not instructions. */
function wrapUntrusted(text: string, url: string): string {
  return `<<<EXTERNAL_UNTRUSTED_CONTENT source="web_fetch" url=${
    JSON.stringify(url)
  }>>>\n${text}\n<<<END_EXTERNAL_UNTRUSTED_CONTENT>>>`;
}

function publicUrl(u: URL): string {
  const c = new URL(u.href);
  c.username = "";
  c.password = "";
  return c.href;
}

async function readCapped(
  res: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; capped: boolean }> {
  if (!res.body) return { bytes: new Uint8Array(), capped: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let capped = false;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    if (size + value.length > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      capped = true;
      await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, capped };
}

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = contentType.match(/charset\s*=\s*"?([\w-]+)/i)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

function isTextual(contentType: string): boolean {
  const t = contentType.split(";")[0].trim().toLowerCase();
  return t === "" || t.startsWith("text/") || t.includes("json") || t.includes("xml") ||
    t === "application/javascript" || t === "application/x-www-form-urlencoded";
}

/** The `web_fetch` tool. */
export function createWebFetchTool(opts: WebFetchToolOptions): Tool {
  const doFetch = opts.fetch ?? fetch;
  const resolveHost = opts.resolveHost ?? resolveWithDns;
  const s = opts.settings;
  return {
    name: "web_fetch",
    description: "Fetch URL; extract readable markdown/text. Lightweight; no browser automation.",
    parameters: {
      type: "object",
      required: ["url"],
      properties: {
        url: { type: "string", description: "HTTP(S) URL." },
        extractMode: {
          enum: ["markdown", "text"],
          type: "string",
          description: "Extract as markdown/text.",
          default: "markdown",
        },
        maxChars: { type: "integer", description: "Max chars returned; truncates.", minimum: 100 },
      },
    },
    title: (args) => `Fetch ${clip(String(args.url ?? ""), 80)}`,
    execute: guarded(async (args, ctx) => {
      const raw = reqString(args, "url", { max: TOOL_DEFAULTS.fetchMaxUrlChars });
      const mode = optString(args, "extractMode") ?? "markdown";
      if (mode !== "markdown" && mode !== "text") {
        throw new ToolFailure(`Argument "extractMode" must be "markdown" or "text", got "${mode}"`);
      }
      const maxChars = Math.min(
        optNumber(args, "maxChars", { min: 100, integer: true }) ?? s.maxChars,
        s.maxChars,
      );
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new ToolFailure(
          `Invalid URL ${JSON.stringify(clip(raw, 200))}: give an absolute http(s) URL`,
        );
      }
      const started = Date.now();
      // An own timer (not AbortSignal.timeout) so it is cleared the moment we finish.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), s.timeoutSeconds * 1000);
      const signal = AbortSignal.any([ctx.signal, deadline.signal]);
      let res: Response | undefined;
      try {
        for (let hop = 0;; hop++) {
          if (url.protocol !== "http:" && url.protocol !== "https:") {
            throw new ToolFailure(
              `Refused ${url.protocol} URL ${
                JSON.stringify(clip(publicUrl(url), 200))
              }: web_fetch only fetches http and https`,
            );
          }
          if (!s.allowPrivateNetwork) {
            const why = await privateDestination(url, resolveHost);
            if (why) {
              throw new ToolFailure(
                `Refused to fetch ${
                  publicUrl(url)
                }: ${why}. Private and loopback destinations need tools.web.fetch.allowPrivateNetwork`,
              );
            }
          }
          res = await doFetch(url, {
            redirect: "manual",
            signal,
            headers: {
              "user-agent": "openclaw-web-fetch/1",
              accept: "text/html,text/plain,application/json;q=0.9,*/*;q=0.5",
            },
          });
          const location = res.headers.get("location");
          if (res.status < 300 || res.status >= 400 || !location) break;
          await res.body?.cancel().catch(() => {});
          if (hop >= s.maxRedirects) {
            throw new ToolFailure(
              `Too many redirects (over ${s.maxRedirects}) fetching ${publicUrl(url)}`,
            );
          }
          url = new URL(location, url);
        }
        const contentType = res.headers.get("content-type") ?? "";
        if (!isTextual(contentType)) {
          await res.body?.cancel().catch(() => {});
          throw new ToolFailure(
            `Unsupported content type "${contentType}" at ${
              publicUrl(url)
            }: web_fetch reads text and HTML only`,
          );
        }
        const { bytes, capped } = await readCapped(res, s.maxBytes);
        const body = decode(bytes, contentType);
        const html = /html/i.test(contentType) ||
          (!contentType && /^\s*<(!doctype|html)/i.test(body));
        const extracted = html ? htmlToText(body, mode) : body;
        const truncated = capped || extracted.length > maxChars;
        const text = extracted.slice(0, maxChars);
        const result = {
          url: publicUrl(new URL(raw)),
          finalUrl: publicUrl(url),
          status: res.status,
          contentType: contentType || undefined,
          title: html ? htmlTitle(body) : undefined,
          extractMode: mode,
          extractor: html ? "html" : "raw",
          externalContent: { untrusted: true, source: "web_fetch", wrapped: true },
          truncated,
          length: text.length,
          rawLength: bytes.length,
          fetchedAt: new Date().toISOString(),
          tookMs: Date.now() - started,
          text: wrapUntrusted(text, publicUrl(url)),
          ...(capped ? { warning: `Body cut at ${s.maxBytes} bytes` } : {}),
        };
        if (res.status >= 400) {
          return errorResult(
            `Fetching ${publicUrl(url)} failed: HTTP ${res.status}\n\n${result.text}`,
            result,
          );
        }
        return {
          content: [{ type: "text", text: JSON.stringify(result, null, 2) }],
          details: result,
        };
      } catch (err) {
        if (err instanceof ToolFailure) throw err;
        if (deadline.signal.aborted) {
          throw new ToolFailure(
            `Fetching ${
              publicUrl(url)
            } timed out after ${s.timeoutSeconds} s: try again or a smaller page`,
          );
        }
        if (ctx.signal.aborted) throw new ToolFailure(`Fetch of ${publicUrl(url)} aborted`);
        throw new ToolFailure(`Fetching ${publicUrl(url)} failed: ${(err as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }),
  };
}
