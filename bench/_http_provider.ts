/**
 * The scripted model provider as its own process for `bench/http_bench.ts`
 * (so the load generator and the model do not share a thread). Prints
 * `PORT <n>` once listening; replies with no chunk delay.
 *
 * @module
 */

import { startScriptedProvider } from "../tests/_fakes/scripted_provider.ts";

if (import.meta.main) {
  const provider = await startScriptedProvider({ chunkDelayMs: 0 });
  console.log(`PORT ${new URL(provider.baseUrl("openai")).port}`);
}
