/**
 * Every wait in a test has a limit: a regression must fail the test, never
 * hang the suite.
 *
 * @module
 */

/** Default limit of a wait (ms). */
export const WAIT_MS = 10_000;

/**
 * `promise`, or a rejection naming `what` after `ms`. The timer is cleared
 * either way, so Deno's leak checks stay quiet.
 *
 * @example
 * ```ts
 * const { code } = await within(client.closed, 5_000, "the 1012 close");
 * ```
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
