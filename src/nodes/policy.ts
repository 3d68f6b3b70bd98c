/**
 * Node command policy: which declared commands the gateway will invoke, as
 * 2026.9.6 decides it (docs `nodes/command-policy.md`, dist
 * `node-command-policy`). A platform default allowlist, where the platform
 * is only trusted when `client.platform` and `client.deviceFamily` agree
 * (`linux` + `Linux`; `linux` + `server` counts as "unknown"); desktop host
 * commands (`system.run`, `system.which`, browser proxy, ...) on macOS,
 * Windows and Linux pass here and are gated by node capability approval
 * alone; `gateway.nodes.allowCommands` opts in (needed for the dangerous
 * set such as `camera.snap`), and `gateway.nodes.denyCommands` always wins.
 *
 * @module
 */

import { normalizeLabel, type PlatformId, platformId } from "./platform.ts";

export { type PlatformId, platformId } from "./platform.ts";

/** `gateway.nodes` settings the policy reads (per command, so edits apply at once). */
export interface CommandPolicySettings {
  allowCommands?: readonly string[];
  denyCommands?: readonly string[];
}

/** What the policy looks at of a node. */
export interface PolicyNode {
  platform?: string;
  deviceFamily?: string;
  caps?: readonly string[];
  commands: readonly string[];
}

const SYSTEM_RUN = ["system.run.prepare", "system.run", "system.which"];
const EXEC_APPROVALS = ["system.execApprovals.get", "system.execApprovals.set"];
const FILE = ["fs.listDir", "terminal.upload"];
const BROWSER_PROXY = ["browser.proxy", "browser.proxy.upload.v1"];
const MCP_CALL = "mcp.tools.call.v1";
const AGENT_CLI = "agent.cli.claude.run.v1";
const SCREEN = ["screen.snapshot"];
const DESKTOP_STREAM = "desktop.stream";
const CAMERA = ["camera.list"];
const LOCATION = ["location.get"];
const DEVICE = ["device.info", "device.status"];
const PERSONAL = ["contacts.search", "calendar.events", "reminders.list", "photos.latest"];
const MOTION = ["motion.activity", "motion.pedometer"];
const NOTIFY = "system.notify";
const COMPUTER = "computer.act";
const SYSTEM = [
  ...SYSTEM_RUN,
  ...EXEC_APPROVALS,
  ...FILE,
  NOTIFY,
  ...BROWSER_PROXY,
  MCP_CALL,
  AGENT_CLI,
];
const DESKTOP = [...SYSTEM, ...SCREEN, DESKTOP_STREAM, COMPUTER];

/**
 * Commands a desktop node host runs on its machine. They are not platform
 * defaults: approving a node's command surface that declares them makes
 * them live (and takes operator.admin for the exec-like ones).
 */
export const DESKTOP_HOST_COMMANDS: ReadonlySet<string> = new Set([
  ...SYSTEM_RUN,
  ...EXEC_APPROVALS,
  ...FILE,
  ...BROWSER_PROXY,
  MCP_CALL,
  AGENT_CLI,
  ...SCREEN,
  DESKTOP_STREAM,
]);

/** Commands approving which takes operator.admin (they run code or read files). */
export const ADMIN_APPROVAL_COMMANDS: ReadonlySet<string> = new Set([
  ...BROWSER_PROXY,
  ...FILE,
  ...SYSTEM_RUN,
  ...EXEC_APPROVALS,
]);

/** Commands that capture or change the user's data: only with an allowCommands entry. */
export const DANGEROUS_COMMANDS: readonly string[] = [
  "camera.snap",
  "camera.clip",
  "camera.ptz.control",
  "screen.record",
  "contacts.add",
  "calendar.add",
  "reminders.add",
  "health.summary",
  "sms.send",
  "sms.search",
];

/**
 * The bundled Canvas plugin's commands. The spec's table lists them for macOS;
 * we also allow them on iOS and Android (unconfirmed there): the phone apps
 * are the canvas's main hosts, and the foreground queue (`node.pending.*`)
 * exists for exactly these commands on a backgrounded iPhone.
 */
const CANVAS_DEFAULTS = ["canvas.present", "canvas.hide", "canvas.navigate"];

/**
 * Whether the policy takes the canvas away from every node: `canvas.present`
 * (what puts the canvas in front) is in `gateway.nodes.denyCommands`. A node
 * then holds no canvas capability, whatever caps it was approved.
 */
export function canvasDenied(settings: CommandPolicySettings): boolean {
  return settings.denyCommands?.includes("canvas.present") ?? false;
}

/** Default allowlists by platform (2026.9.6), desktop host commands included. */
export const PLATFORM_COMMANDS: Readonly<Record<PlatformId, readonly string[]>> = {
  ios: [...CAMERA, ...LOCATION, ...DEVICE, ...PERSONAL, ...MOTION, NOTIFY, ...CANVAS_DEFAULTS],
  watchos: [...DEVICE, NOTIFY],
  android: [
    ...CAMERA,
    ...LOCATION,
    "notifications.list",
    "notifications.actions",
    NOTIFY,
    ...DEVICE,
    "device.permissions",
    "device.health",
    "device.apps",
    "contacts.search",
    "calendar.events",
    "callLog.search",
    "reminders.list",
    "photos.latest",
    ...MOTION,
    "mobile.ui.observe",
    "mobile.ui.act",
    ...CANVAS_DEFAULTS,
  ],
  macos: [
    ...CAMERA,
    "camera.ptz.status",
    ...LOCATION,
    ...DEVICE,
    "device.apps",
    ...PERSONAL,
    ...MOTION,
    ...DESKTOP,
    ...CANVAS_DEFAULTS,
  ],
  linux: DESKTOP,
  windows: [...CAMERA, ...LOCATION, ...DEVICE, ...DESKTOP],
  unknown: [...CAMERA, ...LOCATION, NOTIFY],
};

const TALK_PTT = ["talk.ptt.start", "talk.ptt.stop", "talk.ptt.cancel", "talk.ptt.once"];
const WATCH_RELAY = ["watch.status", "watch.notify"];
const isDesktop = (id: PlatformId) => id === "macos" || id === "windows" || id === "linux";

/** Whether `command` is allowed for `node` before approval, ignoring allow/deny settings. */
function platformAllows(command: string, node: PolicyNode, id: PlatformId): boolean {
  if (DESKTOP_HOST_COMMANDS.has(command)) return isDesktop(id);
  if (PLATFORM_COMMANDS[id].includes(command)) return true;
  if (TALK_PTT.includes(command)) {
    return (node.caps ?? []).some((c) => c.toLowerCase() === "talk") ||
      node.commands.some((c) => c.toLowerCase().startsWith("talk."));
  }
  return id === "ios" && WATCH_RELAY.includes(command) &&
    normalizeLabel(node.deviceFamily) === "iphone";
}

/** A refusal: message and details as the wire shows them. */
export interface PolicyRefusal {
  message: string;
  details: { reason: string; command: string };
}

/** Why `command` may not be invoked on `node`, or `undefined` when it may. */
export function commandRefusal(
  command: string,
  node: PolicyNode,
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
  const id = platformId(node.platform, node.deviceFamily);
  const dangerous = DANGEROUS_COMMANDS.includes(command) ||
    (DESKTOP_HOST_COMMANDS.has(command) && !isDesktop(id));
  if (!dangerous && platformAllows(command, node, id)) return undefined;
  if (dangerous) {
    return refuse(
      "requires explicit gateway.nodes.allowCommands opt-in",
      "command not allowlisted",
    );
  }
  return refuse(
    `is not in the allowlist for platform "${node.platform ?? ""}"`,
    "command not allowlisted",
  );
}

/**
 * The declared commands the policy lets through, sorted: the surface a
 * node asks operators to approve, and (once approved) what `node.list` shows.
 */
export function effectiveCommands(node: PolicyNode, settings: CommandPolicySettings): string[] {
  return [...new Set(node.commands)].filter((c) => !commandRefusal(c, node, settings)).sort();
}

/**
 * The operator scopes approving `commands` takes: `operator.pairing`, plus
 * `operator.write` for any command, or `operator.admin` for exec-like ones.
 */
export function approveScopes(commands: readonly string[]): string[] {
  if (commands.some((c) => ADMIN_APPROVAL_COMMANDS.has(c))) {
    return ["operator.pairing", "operator.admin"];
  }
  return commands.length ? ["operator.pairing", "operator.write"] : ["operator.pairing"];
}
