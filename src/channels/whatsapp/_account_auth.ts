/**
 * An account's link: whether it is linked, who it is, how old its creds are,
 * and the open auth state Baileys reads and writes. Owns the ordering rules:
 * writes in flight land before a deletion, and a deletion finishes before
 * fresh creds are opened.
 *
 * @module
 */

import type { AuthenticationState } from "@whiskeysockets/baileys";
import type { Logger } from "../../log/logger.ts";
import type { Baileys } from "./_baileys.ts";
import {
  deleteAuthState,
  openAuthState,
  type OpenedAuthState,
  readLinkedIdentity,
} from "./auth_state.ts";
import { e164FromJid } from "./inbound.ts";
import type { WhatsAppStatus } from "./types.ts";

/** One account's credentials and identity. */
export class AccountAuth {
  linked = false;
  self: WhatsAppStatus["self"] = null;
  #mtimeMs: number | null = null;
  #opened: OpenedAuthState | undefined;
  #pendingDelete: Promise<void> = Promise.resolve();

  constructor(readonly dir: string, readonly accountId: string, readonly log: Logger) {}

  /** Reads linked-ness and identity from disk (never loads Baileys). */
  async refresh(): Promise<void> {
    const id = await readLinkedIdentity(this.dir).catch(() => undefined);
    this.linked = !!id;
    this.#mtimeMs = id?.mtimeMs ?? null;
    this.self = id ? { jid: id.jid, e164: e164FromJid(id.jid), lid: id.lid } : null;
  }

  /** The auth state for Baileys, opened once (restoring creds.json from its backup if needed). */
  async open(b: Baileys): Promise<AuthenticationState> {
    if (!this.#opened) {
      await this.#pendingDelete; // a logout's deletion must not remove fresh creds
      this.#opened = await openAuthState(this.dir, b);
      if (this.#opened.restoredFromBackup) {
        this.log.warn("creds.json was corrupt; restored from creds.json.bak", {
          accountId: this.accountId,
        });
      }
    }
    return this.#opened.state;
  }

  /** Saves creds in the background (Baileys' `creds.update`); failures are logged. */
  save(): void {
    this.#opened?.saveCreds().catch((err) =>
      this.log.warn("saving WhatsApp creds failed", {
        accountId: this.accountId,
        error: String(err),
      })
    );
  }

  /** Waits for writes in flight. */
  async flush(): Promise<void> {
    await this.#opened?.flush();
  }

  /** Records a successful open: linked, with this identity. */
  markOpen(me: { id?: string | null; lid?: string | null } | undefined, now: number): void {
    this.linked = true;
    this.#mtimeMs ??= now;
    if (me?.id) this.self = { jid: me.id, e164: e164FromJid(me.id), lid: me.lid ?? undefined };
  }

  /** Time since creds were last written, while linked. */
  ageMs(now: number): number | null {
    return this.linked && this.#mtimeMs !== null ? Math.max(0, now - this.#mtimeMs) : null;
  }

  /** Forgets the link and deletes the folder (after writes in flight landed). */
  async delete(): Promise<void> {
    const opened = this.#opened;
    this.#opened = undefined;
    this.linked = false;
    this.self = null;
    this.#mtimeMs = null;
    this.#pendingDelete = (opened?.flush() ?? Promise.resolve())
      .then(() => deleteAuthState(this.dir))
      .catch((err) => this.log.warn("deleting WhatsApp auth state failed", { error: String(err) }));
    await this.#pendingDelete;
  }
}
