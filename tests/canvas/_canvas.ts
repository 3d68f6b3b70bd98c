/**
 * Helpers of the canvas tests: plain and raw HTTP requests (a raw request
 * line keeps `..` that `fetch` would normalise away), and a real node
 * (Ed25519 device, real socket) whose `canvas` cap an operator approved.
 *
 * @module
 */

import assert from "node:assert/strict";
import { DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";
import { TEST_TOKEN, type TestGateway } from "../_helpers/gateway.ts";
import { within } from "../_helpers/limit.ts";
import { RawWs, type WireFrame } from "../_helpers/raw_ws.ts";

/** Local mode with the test token. */
export const BASE = { gateway: { mode: "local", auth: { token: TEST_TOKEN } } };

/** A captured capability: 18 random bytes, base64url. */
export const CAP = /[A-Za-z0-9_-]{24}/;

/** A GET (or `init`) to `127.0.0.1:port`, with the body read. */
export async function get(port: number, path: string, init: RequestInit = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    headers: res.headers,
    body: await res.text(),
  };
}

/** Sends `GET <path>` as written and returns the whole raw answer. */
export async function rawGet(port: number, path: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      ),
    );
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    await within(
      (async () => {
        for (let n; (n = await conn.read(buf)) !== null;) chunks.push(buf.slice(0, n));
      })(),
      10_000,
      `the answer to ${path}`,
    );
    return new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  } finally {
    conn.close();
  }
}

/** Opens a WebSocket to `url` and resolves once open (rejects on error), within 10 s. */
export async function openSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await within(
    new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`socket ${url} failed`));
    }),
    10_000,
    `the socket ${url}`,
  );
  return ws;
}

/** Closes `ws` and waits (bounded) for the close. */
export async function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const closed = new Promise((r) => ws.addEventListener("close", r));
  ws.close();
  await within(closed, 10_000, "the socket close");
}

/** Node connect params declaring the `canvas` cap, at `protocol`. */
export function canvasNodeParams(protocol: 3 | 4 = 4): Record<string, unknown> {
  return nodeParams({
    minProtocol: protocol,
    maxProtocol: protocol,
    caps: ["canvas", "system"],
    commands: ["canvas.present", "system.notify"],
  });
}

/** An admin operator, and a node whose `canvas` cap it approved (connected once more since). */
export interface ApprovedNode {
  op: RawWs;
  key: DeviceKey;
  /** The `hello-ok` of the first connect, before the approval. */
  firstHello: WireFrame;
  node: FakeNode;
  /** The `hello-ok` after the approval. */
  hello: WireFrame;
}

/** Connects a node, approves its caps from an operator, and reconnects it. */
export async function approvedCanvasNode(
  gw: TestGateway,
  protocol: 3 | 4 = 4,
): Promise<ApprovedNode> {
  const op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const key = await DeviceKey.create();
  const first = await FakeNode.connect(gw.url, key, () => undefined, canvasNodeParams(protocol));
  const asked = await op.nextEvent("node.pair.requested");
  const ok = await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  const firstHello = first.hello;
  await first.close();
  const node = await FakeNode.connect(gw.url, key, () => undefined, canvasNodeParams(protocol));
  return { op, key, firstHello, node, hello: node.hello };
}

/** The canvas base URL of a `hello-ok` (either protocol's field). */
export function helloCanvasUrl(hello: WireFrame): string | undefined {
  return hello.payload?.pluginSurfaceUrls?.canvas ?? hello.payload?.canvasHostUrl;
}

/** `url`'s path (the capability prefix), for requests on a given port. */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}
