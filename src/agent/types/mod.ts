/**
 * The contracts between the parts of the agent engine: providers (talk to a
 * model), tools (do things), sessions (remember), prompt (say who we are) and
 * the engine that runs a turn through them. Channels, the HTTP APIs and the
 * WebSocket methods only see {@link AgentEngine} (`engine.ts`).
 *
 * Message and transcript shapes follow the spec's transcript rows
 * (`shared/spec/agent.md` section 7.3) so a transcript line is exactly what
 * the real gateway writes.
 *
 * @module
 */

export * from "./messages.ts";
export * from "./providers.ts";
export * from "./tools.ts";
export * from "./sessions.ts";
export * from "./engine.ts";
