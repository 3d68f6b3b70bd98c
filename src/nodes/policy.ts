/**
 * Node command policy: which declared commands the gateway will invoke.
 * A per-platform allowlist, `gateway.nodes.allowCommands` to opt in (needed
 * for dangerous commands such as `system.run`), and
 * `gateway.nodes.denyCommands`, which always wins.
 *
 * @module
 */

/** `gateway.nodes` settings the policy reads (per command, so edits apply at once). */
export interface CommandPolicySettings {
  allowCommands?: readonly string[];
  denyCommands?: readonly string[];
}

const CANVAS = ["canvas.present", "canvas.hide", "canvas.navigate"];

/**
 * Default allowlists by platform (docs `nodes/command-policy.md`; `location.get`
 * on linux as observed on 2026.9.6; the iOS/Android rows are a conservative
 * subset (unconfirmed)).
 */
export const PLATFORM_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  linux: ["system.notify", "computer.act", "location.get"],
  macos: [
    "camera.list",
    "camera.ptz.status",
    "location.get",
    "device.info",
    "device.status",
    "device.apps",
    "contacts.search",
    "calendar.events",
    "reminders.list",
    "photos.latest",
    "motion.activity",
    "motion.pedometer",
    "system.notify",
    "computer.act",
    ...CANVAS,
  ],
  ios: ["camera.list", "location.get", "device.info", "device.status", "system.notify", ...CANVAS],
  android: [
    "camera.list",
    "location.get",
    "device.info",
    "device.status",
    "system.notify",
    ...CANVAS,
  ],
  windows: ["system.notify", "computer.act"],
};

/** Commands that run code or capture the user: only with an explicit allowCommands entry. */
export const DANGEROUS_COMMANDS: readonly string[] = [
  "system.run",
  "system.run.prepare",
  "system.which",
  "system.execApprovals.get",
  "system.execApprovals.set",
  "browser.proxy",
  "fs.listDir",
  "camera.snap",
  "camera.clip",
  "screen.record",
  "sms.send",
];

/** The allowlist key of a client-reported platform (`darwin` -> `macos`). */
export function platformKey(platform: string | undefined): string {
  const p = (platform ?? "").trim().toLowerCase();
  if (p === "darwin" || p.startsWith("mac")) return "macos";
  if (p === "win32" || p.startsWith("windows")) return "windows";
  if (p.startsWith("ios") || p.startsWith("ipados")) return "ios";
  return p;
}

/** A refusal: message and details as the wire shows them. */
export interface PolicyRefusal {
  message: string;
  details: { reason: string; command: string };
}

/** Why `command` may not be invoked on a node of `platform`, or `undefined` when it may. */
export function commandRefusal(
  command: string,
  node: { platform?: string; commands: readonly string[] },
  settings: CommandPolicySettings,
): PolicyRefusal | undefined {
  const refuse = (why: string, reason: string): PolicyRefusal => ({
    message: `node command not allowed: "${command}" ${why}`,
    details: { reason, command },
  });
  if (settings.denyCommands?.includes(command)) {
    return refuse("is in gateway.nodes.denyCommands", "command denied");
  }
  if (!node.commands.includes(command)) {
    return refuse("is not declared by the node", "command not declared");
  }
  if (settings.allowCommands?.includes(command)) return undefined;
  if (DANGEROUS_COMMANDS.includes(command)) {
    return refuse(
      "requires explicit gateway.nodes.allowCommands opt-in",
      "command not allowlisted",
    );
  }
  const platform = platformKey(node.platform);
  if (PLATFORM_COMMANDS[platform]?.includes(command)) return undefined;
  return refuse(
    `is not in the allowlist for platform "${node.platform ?? ""}"`,
    "command not allowlisted",
  );
}

/** The declared commands the policy lets through, sorted (what `node.list` shows). */
export function effectiveCommands(
  node: { platform?: string; commands: readonly string[] },
  settings: CommandPolicySettings,
): string[] {
  return [...new Set(node.commands)].filter((c) => !commandRefusal(c, node, settings)).sort();
}
