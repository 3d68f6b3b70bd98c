/**
 * A fake node (and device) for tests: a real Ed25519 key from Web Crypto,
 * a real socket, the v3 signature over the challenge nonce, and a scripted
 * answer to each `node.invoke.request`.
 *
 * @module
 */

import { base64Url, signaturePayload } from "../../src/nodes/identity.ts";
import { RawWs, type WireFrame } from "./raw_ws.ts";
import { TEST_TOKEN } from "./gateway.ts";

/** An Ed25519 device key. */
export class DeviceKey {
  private constructor(
    readonly id: string,
    readonly publicKey: string,
    readonly raw: Uint8Array,
    readonly spkiPem: string,
    private readonly privateKey: CryptoKey,
  ) {}

  /** A fresh key pair. */
  static async create(): Promise<DeviceKey> {
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
      "sign",
      "verify",
    ]) as CryptoKeyPair;
    const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
    const id = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", raw)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    const pem = `-----BEGIN PUBLIC KEY-----\n${
      btoa(String.fromCharCode(...spki))
    }\n-----END PUBLIC KEY-----\n`;
    return new DeviceKey(id, base64Url(raw), raw, pem, pair.privateKey);
  }

  /** Signs UTF-8 `text`, base64url. */
  async sign(text: string): Promise<string> {
    const sig = await crypto.subtle.sign(
      "Ed25519",
      this.privateKey,
      new TextEncoder().encode(text),
    );
    return base64Url(new Uint8Array(sig));
  }
}

/** Knobs to build a (possibly broken) device claim. */
export interface ClaimOptions {
  version?: "v2" | "v3";
  signedAt?: number;
  /** Nonce put in the claim (default: the challenge's). */
  nonce?: string;
  /** Nonce put in the signed payload (default: the claim's). */
  signNonce?: string;
  id?: string;
  publicKey?: string;
  signature?: string;
}

/** Connect overrides plus the signed `device` for the challenge `nonce`. */
export async function signedConnect(
  key: DeviceKey,
  nonce: string,
  params: Record<string, unknown>,
  opts: ClaimOptions = {},
): Promise<Record<string, unknown>> {
  const client = params.client as {
    id: string;
    mode: string;
    platform?: string;
    deviceFamily?: string;
  };
  const role = (params.role as string | undefined) ?? "operator";
  const scopes = (params.scopes as string[] | undefined) ?? [];
  const auth = params.auth as
    | { token?: string; deviceToken?: string; bootstrapToken?: string }
    | undefined;
  const signedAt = opts.signedAt ?? Date.now();
  const claimNonce = opts.nonce ?? nonce;
  const text = signaturePayload(opts.version ?? "v3", {
    id: key.id,
    signedAt,
    nonce: opts.signNonce ?? claimNonce,
  }, {
    clientId: client.id,
    clientMode: client.mode,
    role,
    scopes,
    // The signed credential, as 2026.9.6 clients pick it.
    token: auth?.token ?? auth?.deviceToken ?? auth?.bootstrapToken ?? "",
    platform: client.platform,
    deviceFamily: client.deviceFamily,
  });
  return {
    ...params,
    device: {
      id: opts.id ?? key.id,
      publicKey: opts.publicKey ?? key.publicKey,
      signature: opts.signature ?? await key.sign(text),
      signedAt,
      nonce: claimNonce,
    },
  };
}

/** Node connect params (`role:"node"`, linux, the shared token by default). */
export function nodeParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: {
      id: "node-host",
      displayName: "fake-node",
      version: "cap-node-1",
      platform: "linux",
      mode: "node",
      deviceFamily: "server",
    },
    role: "node",
    scopes: [],
    caps: ["system"],
    commands: ["system.notify", "fake.echo", "system.run"],
    permissions: { "system.notify": true },
    auth: { token: TEST_TOKEN },
    ...overrides,
  };
}

/** Opens a socket, signs the challenge and sends `connect`; returns the socket and the answer. */
export async function connectSigned(
  url: string,
  key: DeviceKey,
  params: Record<string, unknown>,
  opts: ClaimOptions = {},
): Promise<{ ws: RawWs; res: WireFrame }> {
  const ws = await RawWs.open(url);
  const challenge = await ws.nextEvent("connect.challenge");
  const full = await signedConnect(key, challenge.payload.nonce, params, opts);
  // RawWs.handshake merges over its operator defaults: pass every key.
  const res = await ws.handshake(full);
  return { ws, res };
}

/** How the fake node answers one invoke (`undefined`: never answer). */
export type InvokeScript = (
  req: { id: string; command: string; params: unknown },
) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;

/** A connected fake node answering `node.invoke.request` with `script`. */
export class FakeNode {
  readonly requests: WireFrame[] = [];
  private constructor(readonly ws: RawWs, readonly nodeId: string, readonly hello: WireFrame) {}

  /** Connects as a node and starts answering invokes. */
  static async connect(
    url: string,
    key: DeviceKey,
    script: InvokeScript,
    params: Record<string, unknown> = nodeParams(),
  ): Promise<FakeNode> {
    const { ws, res } = await connectSigned(url, key, params);
    if (!res.ok) {
      await ws.close();
      throw new Error(`node connect refused: ${JSON.stringify(res.error)}`);
    }
    const node = new FakeNode(ws, key.id, res);
    void node.#serve(script);
    return node;
  }

  async #serve(script: InvokeScript): Promise<void> {
    while (!this.ws.isClosed) {
      let req: WireFrame;
      try {
        req = await this.ws.nextEvent("node.invoke.request", 60_000);
      } catch {
        return;
      }
      this.requests.push(req);
      const p = req.payload;
      const answer = await script({
        id: p.id,
        command: p.command,
        params: p.paramsJSON ? JSON.parse(p.paramsJSON) : undefined,
      });
      if (answer === undefined || this.ws.isClosed) continue;
      void this.ws.request("node.invoke.result", { id: p.id, nodeId: p.nodeId, ...answer })
        .catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.ws.close();
  }
}
