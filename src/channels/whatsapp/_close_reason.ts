/**
 * What a Baileys close code means for the account: restart now, reconnect
 * with backoff, or stop and tell the operator what to do. Pure.
 *
 * @module
 */

/** What to run to link an account again. */
export function loginHint(accountId: string): string {
  return `run "openclaw channels login --account ${accountId}" on the gateway host (or web.login.start) and scan the QR code with the phone`;
}

/** Why an account that is not linked does not connect, and how to link it. */
export function notLinkedMessage(accountId: string): string {
  return `WhatsApp account "${accountId}" is not linked; ${loginHint(accountId)}`;
}

/** The state an account stops in after a close that needs the operator. */
export function stoppedState(
  kind: "logged_out" | "conflict" | "relink" | "qr_expired",
): "conflict" | "not_linked" | "logged_out" {
  return kind === "conflict" ? "conflict" : kind === "qr_expired" ? "not_linked" : "logged_out";
}

/** The message of an account that gave up reconnecting. */
export function gaveUpMessage(accountId: string, attempts: number, last: string): string {
  return `WhatsApp account "${accountId}" gave up after ${attempts} reconnect attempts (last: ${last}); check the network, then restart the channel`;
}

/** The action after a close. */
export type CloseAction =
  | { kind: "restart" }
  | { kind: "reconnect"; reason: string }
  | { kind: "logged_out"; message: string }
  | { kind: "conflict"; message: string }
  | { kind: "relink"; message: string }
  | { kind: "qr_expired"; message: string };

/** The HTTP-like status code Baileys puts on a close error (a Boom), if any. */
export function closeStatusCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** Maps a close to an action (spec channels.md section 3). */
export function classifyClose(
  code: number | undefined,
  opts: { accountId: string; linked: boolean },
): CloseAction {
  const login = loginHint(opts.accountId);
  switch (code) {
    case 515:
      return { kind: "restart" };
    case 401:
      return {
        kind: "logged_out",
        message:
          `WhatsApp logged out account "${opts.accountId}" (device removed from Linked Devices); ${login} to link it again`,
      };
    case 440:
      return {
        kind: "conflict",
        message:
          `Another WhatsApp Web session replaced account "${opts.accountId}"; not reconnecting (close the other session, then restart the channel or ${login})`,
      };
    case 403:
    case 411:
      return {
        kind: "relink",
        message:
          `WhatsApp refused account "${opts.accountId}" (status ${code}); ${login} to link it again`,
      };
    case 408:
      if (!opts.linked) {
        return {
          kind: "qr_expired",
          message: `The WhatsApp QR code expired before a phone scanned it; ${login} to try again`,
        };
      }
      return { kind: "reconnect", reason: "connection lost (408)" };
    default:
      return { kind: "reconnect", reason: `connection closed (${code ?? "no status"})` };
  }
}
