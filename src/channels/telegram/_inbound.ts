/**
 * The inbound half of the Telegram adapter: normalises each update, buffers
 * album items (one update per photo) into one message, attaches a lazy image
 * download (the pipeline runs it only for a sender it lets through), and
 * delivers one chat at a time, in order (as grammY's sequentialize),
 * reporting each update handled only after its delivery.
 *
 * @module
 */

import type { InboundEnvelope } from "../types.ts";
import { type BotIdentity, type MediaRef, normalizeUpdate, type TgUpdate } from "./_normalize.ts";

type Normalized = NonNullable<ReturnType<typeof normalizeUpdate>>;

/** Options of {@link createInbound}. */
export interface InboundOptions {
  bot: BotIdentity;
  accountId: string;
  /** Quiet time after an album's last item (`mediaGroupFlushMs`). */
  flushMs: number;
  deliver(env: InboundEnvelope): Promise<void>;
  /** Fetches an image within the cap; `undefined` when it cannot. */
  download(media: MediaRef): Promise<{ data: string; mimeType: string } | undefined>;
  /** Update `id` is handled (delivered or ignored). */
  done(id: number): Promise<void>;
}

/** The inbound dispatcher of one running account. */
export interface Inbound {
  dispatch(update: TgUpdate): void;
  /** Drops unflushed albums (they stay journaled) and waits up to `ms` for deliveries. */
  drain(ms: number): Promise<void>;
}

/** Builds the dispatcher. */
export function createInbound(opts: InboundOptions): Inbound {
  const chats = new Map<string, Promise<void>>();
  const albums = new Map<
    string,
    { items: Normalized[]; ids: number[]; timer?: ReturnType<typeof setTimeout> }
  >();

  const enqueue = (
    key: string,
    ids: number[],
    build: () => Promise<InboundEnvelope | undefined>,
  ) => {
    const work = async () => {
      try {
        const envelope = await build();
        if (envelope) await opts.deliver(envelope);
      } finally {
        for (const id of ids) await opts.done(id);
      }
    };
    const next = (chats.get(key) ?? Promise.resolve()).then(work, work);
    chats.set(key, next);
    void next.then(() => {
      if (chats.get(key) === next) chats.delete(key);
    });
  };

  /** Downloads images when the pipeline asks (after access control); failures are skipped. */
  const downloadAll = async (media: MediaRef[]) =>
    (await Promise.all(media.map((m) => opts.download(m).catch(() => undefined))))
      .filter((x) => x !== undefined);

  const flushAlbum = (items: Normalized[], ids: number[]) => {
    const first = items[0].envelope;
    const media = items.flatMap((i) => (i.media?.kind === "image" ? [i.media] : []));
    enqueue(first.chatId, ids, () =>
      Promise.resolve({
        ...first,
        text: items.map((i) => i.envelope.text).filter(Boolean).join("\n"),
        mentioned: items.some((i) => i.envelope.mentioned),
        ...(media.length ? { loadImages: () => downloadAll(media) } : {}),
      }));
  };

  return {
    dispatch(u) {
      const n = normalizeUpdate(u, opts.bot, opts.accountId);
      if (n?.mediaGroupId && !n.envelope.fromSelf) {
        const key = `${n.envelope.chatId}:${n.mediaGroupId}`;
        const album = albums.get(key) ?? { items: [], ids: [] };
        album.items.push(n);
        album.ids.push(u.update_id);
        clearTimeout(album.timer);
        album.timer = setTimeout(() => {
          albums.delete(key);
          flushAlbum(album.items, album.ids);
        }, opts.flushMs);
        albums.set(key, album);
        return;
      }
      enqueue(n?.envelope.chatId ?? "", [u.update_id], () => {
        if (!n) return Promise.resolve(undefined);
        const media = n.media;
        if (media?.kind === "image" && !n.envelope.fromSelf) {
          n.envelope.loadImages = () => downloadAll([media]);
        }
        return Promise.resolve(n.envelope);
      });
    },
    async drain(ms) {
      for (const a of albums.values()) clearTimeout(a.timer);
      albums.clear();
      let t: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...chats.values()]),
        new Promise((r) => (t = setTimeout(r, ms))),
      ]);
      clearTimeout(t);
      chats.clear();
    },
  };
}
