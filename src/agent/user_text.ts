/**
 * The user message as the model sees it (spec `agent.md` section 3.3): a
 * `[Ddd YYYY-MM-DD HH:MM TZ] ` prefix, and on a session's first turn a
 * `Runtime: agent=… | session=… | …` line. Not persisted: the transcript
 * keeps the text as sent.
 *
 * @module
 */

/** Facts for the `Runtime:` line of a session's first user message. */
export interface RuntimeFacts {
  agentId: string;
  sessionKey: string;
  sessionId: string;
  workspace: string;
  modelRef: string;
  defaultModelRef?: string;
  channel?: string;
  host?: string;
  os?: string;
  runtime?: string;
}

/** `Runtime: agent=main | session=agent:main:main | … | channel=webchat`. */
export function runtimeLine(f: RuntimeFacts): string {
  const parts: Array<[string, string | undefined]> = [
    ["agent", f.agentId],
    ["session", f.sessionKey],
    ["sessionId", f.sessionId],
    ["host", f.host],
    ["repo", f.workspace],
    ["os", f.os],
    ["runtime", f.runtime],
    ["model", f.modelRef],
    ["default_model", f.defaultModelRef],
    ["channel", f.channel],
  ];
  return "Runtime: " + parts.filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(" | ");
}

/**
 * The user text as the model sees it: `[Ddd YYYY-MM-DD HH:MM TZ] text`,
 * plus the runtime line on the first turn. Not persisted: the transcript
 * keeps the text as sent.
 */
export function projectUserText(
  text: string,
  opts: { at: Date; timeZone: string; runtime?: string },
): string {
  const prefixed = `[${stamp(opts.at, opts.timeZone)}] ${text}`;
  return opts.runtime ? `${prefixed}\n\n${opts.runtime}` : prefixed;
}

// Building an Intl.DateTimeFormat costs more than formatting with one
// (2.6% of a turn's CPU when built per turn): one per zone, kept. Zones come
// from the config, so the map stays small; capped anyway.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    if (FORMATTERS.size >= MAX_FORMATTERS) FORMATTERS.clear();
    FORMATTERS.set(timeZone, f);
  }
  return f;
}

/** `Mon 2026-11-30 01:51 UTC` in the given zone. */
export function stamp(at: Date, timeZone: string): string {
  const parts = formatterFor(timeZone).formatToParts(at);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? "";
  return `${p("weekday")} ${p("year")}-${p("month")}-${p("day")} ${p("hour")}:${p("minute")} ${
    p("timeZoneName")
  }`;
}
