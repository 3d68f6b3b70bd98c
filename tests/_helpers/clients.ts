/**
 * `GatewayClient`s that close themselves at the end of a scope
 * (`await using client = await openClient(gw)`).
 *
 * @module
 */

import type { ConnectOptions, GatewayClient } from "../../src/client/gateway_client.ts";
import type { TestGateway } from "./gateway.ts";

/** A client that `await using` closes. */
export type ScopedClient = GatewayClient & AsyncDisposable;

/** Connects to `gw` (TEST_TOKEN unless `opts` says otherwise). */
export async function openClient(gw: TestGateway, opts?: ConnectOptions): Promise<ScopedClient> {
  const client = await gw.connect(opts);
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}
