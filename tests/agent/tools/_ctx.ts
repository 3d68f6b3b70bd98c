/**
 * Test helpers for the tools: a temp workspace and a ToolContext whose
 * partial updates and approval requests are recorded.
 *
 * @module
 */

import type {
  ApprovalDecision,
  ExecApprovalRequest,
  SessionsView,
  ToolContext,
  ToolResult,
} from "../../../src/agent/types.ts";

/** A private temp folder (real path) used as the workspace. */
export async function tempWorkspace(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "openclaw-tools-" }));
  return { dir, cleanup: () => Deno.remove(dir, { recursive: true }).catch(() => {}) };
}

/** A context plus what the tool did with it. */
export interface TestContext extends ToolContext {
  updates: ToolResult[];
  approvals: ExecApprovalRequest[];
  abort(): void;
}

const emptySessions: SessionsView = {
  list: () => Promise.resolve([]),
  history: () => Promise.resolve([]),
  status: () => Promise.resolve(undefined),
};

/** A ToolContext on `workspace`. */
export function testContext(
  workspace: string,
  opts: {
    approve?: (req: ExecApprovalRequest) => Promise<ApprovalDecision>;
    sessions?: SessionsView;
    sessionKey?: string;
  } = {},
): TestContext {
  const ctl = new AbortController();
  const updates: ToolResult[] = [];
  const approvals: ExecApprovalRequest[] = [];
  return {
    agentId: "main",
    sessionKey: opts.sessionKey ?? "agent:main:main",
    runId: "run-1",
    toolCallId: "call_1",
    workspace,
    signal: ctl.signal,
    onUpdate: (p) => updates.push(p),
    requestApproval: (req) => {
      approvals.push(req);
      return opts.approve ? opts.approve(req) : Promise.resolve("deny");
    },
    sessions: opts.sessions ?? emptySessions,
    updates,
    approvals,
    abort: () => ctl.abort(),
  };
}

/** The text of a result. */
export function text(r: ToolResult): string {
  return r.content.map((p) => (p.type === "text" ? p.text : `[${p.mimeType}]`)).join("\n");
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every 20 ms until true or `ms` passes (then throws). */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** `p`, or a rejection naming `what` after `ms` (a regression fails, never hangs). */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) =>
        timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
