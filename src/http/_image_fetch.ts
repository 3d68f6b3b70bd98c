/**
 * Fetches an image URL of an OpenResponses `input_image` (spec http.md
 * section 2): http(s) only, every hop's host checked against private,
 * loopback and link-local addresses (all DNS answers), at most 3
 * redirects, 10 s, the image cap, and an image content type. Private to
 * `src/http/`.
 *
 * @module
 */

import { isPrivateAddress } from "../agent/tools/mod.ts";
import { badRequest, readBody } from "./_common.ts";

/** Redirects followed at most. */
export const IMAGE_MAX_REDIRECTS = 3;
/** Time for the whole fetch. */
export const IMAGE_FETCH_TIMEOUT_MS = 10_000;
const MIMES = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/** The runtime edges of an image fetch (tests replace them). */
export interface ImageFetchDeps {
  fetch?: typeof fetch;
  /** Host name to addresses (default: A and AAAA through Deno.resolveDns). */
  resolveHost?: (host: string) => Promise<string[]>;
  /** Which addresses are refused (default: every non-public one). */
  isPrivate?: (address: string) => boolean;
}

async function resolveWithDns(host: string): Promise<string[]> {
  const tries = await Promise.allSettled([
    Deno.resolveDns(host, "A"),
    Deno.resolveDns(host, "AAAA"),
  ]);
  return tries.flatMap((t) => (t.status === "fulfilled" ? t.value : []));
}

async function refusal(url: URL, deps: ImageFetchDeps): Promise<string | undefined> {
  if (url.protocol !== "http:" && url.protocol !== "https:") return "only http(s) URLs are fetched";
  const isPrivate = deps.isPrivate ?? isPrivateAddress;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) {
    return `${host} is a local name`;
  }
  const literal = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(":");
  const addresses = literal ? [host] : await (deps.resolveHost ?? resolveWithDns)(host);
  if (!addresses.length) return `${host} does not resolve`;
  const bad = addresses.find(isPrivate);
  return bad ? `${host} is (or resolves to) the private address ${bad}` : undefined;
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** Fetches `raw` as an image of at most `maxBytes`; 400 naming why not. */
export async function fetchImage(
  raw: string,
  maxBytes: number,
  deps: ImageFetchDeps = {},
): Promise<{ mime: string; data: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest(`input_image.source.url: not a URL`);
  }
  const signal = AbortSignal.timeout(IMAGE_FETCH_TIMEOUT_MS);
  for (let hop = 0; hop <= IMAGE_MAX_REDIRECTS; hop++) {
    const why = await refusal(url, deps);
    if (why) throw badRequest(`input_image.source.url: not fetched (${why})`);
    let res: Response;
    try {
      res = await (deps.fetch ?? fetch)(url, { redirect: "manual", signal });
    } catch (err) {
      throw badRequest(`input_image.source.url: fetch failed (${(err as Error).message})`);
    }
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw badRequest(`input_image.source.url: the server answered ${res.status}`);
    }
    const mime = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (!MIMES.includes(mime)) {
      await res.body?.cancel();
      throw badRequest(`input_image.source.url: content type "${mime}" is not an accepted image`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readBody(res, maxBytes, IMAGE_FETCH_TIMEOUT_MS);
    } catch {
      throw badRequest(`input_image.source.url: larger than ${maxBytes} bytes or too slow`);
    }
    return { mime, data: toBase64(bytes) };
  }
  throw badRequest(`input_image.source.url: more than ${IMAGE_MAX_REDIRECTS} redirects`);
}
