/**
 * The human form of `gateway status`: supervisor runtime first, then
 * config, probe target, port and RPC reachability, then warnings.
 *
 * @module
 */

import { commandText } from "../../service/control.ts";
import type { ConfigReport, GatewayStatusReport, PortStatus } from "./gateway_status.ts";

/** Renders a status report for a terminal. */
export function formatStatusReport(r: GatewayStatusReport): string {
  const out: string[] = [];
  const s = r.service;
  if (s.note) {
    out.push(`Service: none (${s.note})`);
  } else if (!s.installed) {
    out.push(
      `Service: ${s.label} is not installed (${s.supervisor} ${s.scope}; ` +
        'install it with "openclaw gateway install")',
    );
  } else {
    out.push(
      `Service: ${s.label} (${s.supervisor} ${s.scope}, ${
        s.loaded ? s.loadedText : s.notLoadedText
      })`,
    );
    out.push(`  File: ${s.path}`);
    if (s.configAudit?.ok) out.push("  File matches what install writes");
    else if (s.configAudit) {
      out.push(
        `  File differs from what install writes: ${s.configAudit.issues.join("; ")} ` +
          '(fix: "openclaw gateway install --force" or "openclaw doctor --fix")',
      );
    }
    if (s.command) {
      const [cmd, ...args] = s.command.programArguments;
      out.push(`  Command: ${commandText(cmd ?? "", args)}`);
    }
    out.push(`Runtime: ${runtimeText(s.runtime)}`);
  }
  out.push(`Config (cli): ${configText(r.config.cli)}`);
  if (r.config.daemon) out.push(`Config (service): ${configText(r.config.daemon)}`);
  if (r.config.mismatch) {
    out.push("  Warning: the service reads a different config file than this CLI");
  }
  const g = r.gateway;
  out.push(`Gateway: bind ${g.bindMode} (${g.bindHost || "?"}), port ${g.port} (${g.portSource})`);
  out.push(`Probe target: ${g.probeUrl}${g.probeNote ? ` (${g.probeNote})` : ""}`);
  out.push(...portText(r.port));
  if (r.portCli) out.push(...portText(r.portCli));
  if (r.lastError) out.push(`Last gateway error: ${r.lastError}`);
  if (!r.rpc) out.push("RPC probe: skipped (--no-probe)");
  else if (r.rpc.ok && r.rpc.status) {
    const st = r.rpc.status;
    out.push(
      `RPC probe: ok (gateway v${st.version}, pid ${st.pid}, up ${
        Math.round(st.uptimeMs / 1000)
      }s)`,
    );
  } else out.push(`RPC probe: failed (${r.rpc.error})`);
  for (const l of r.legacyServices) {
    out.push(
      `Warning: legacy service ${l.label} (${l.detail}) is still installed: remove it with ` +
        '"openclaw doctor --fix"',
    );
  }
  for (const e of r.extraServices) {
    out.push(
      `Warning: another gateway-like ${e.scope} service ${e.label} (${e.detail}); run one ` +
        "gateway per machine, or give each its own profile and port",
    );
  }
  return out.join("\n");
}

function runtimeText(rt: GatewayStatusReport["service"]["runtime"]): string {
  if (!rt) return "unknown";
  const facts: string[] = [];
  if (rt.pid) facts.push(`pid ${rt.pid}`);
  if (rt.state) facts.push(`state ${rt.state}${rt.subState ? `/${rt.subState}` : ""}`);
  if (rt.unitFileState) facts.push(rt.unitFileState);
  if (rt.lastExitStatus !== undefined && rt.status !== "running") {
    facts.push(`last exit ${rt.lastExitStatus}`);
  }
  if (rt.detail) facts.push(rt.detail);
  return `${rt.status}${facts.length ? ` (${facts.join(", ")})` : ""}`;
}

function configText(c: ConfigReport): string {
  if (!c.exists) return `${c.path} (missing: defaults apply; "openclaw setup" creates it)`;
  if (c.valid) return `${c.path} (valid)`;
  const issues = (c.issues ?? []).map((i) =>
    `${c.path}${i.line ? `:${i.line}` : ""}: ${i.path ? `${i.path}: ` : ""}${i.message}`
  );
  return `${c.path} (INVALID: ${issues.join("; ")})`;
}

function portText(p: PortStatus): string[] {
  const who = p.listeners.map((l) =>
    `pid ${l.pid} ${l.command ?? "?"}${l.address ? ` (${l.address})` : ""}`
  );
  return [
    `Port ${p.port}: ${p.status}${who.length ? `: ${who.join(", ")}` : ""}`,
    ...p.hints.map((h) => `  Hint: ${h}`),
  ];
}
