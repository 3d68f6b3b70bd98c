/**
 * The reply text of a timed-out run, in a module of its own so the CLI can
 * print it without loading the engine.
 *
 * @module
 */

/** The reply of a timed-out run (spec 3.1, verbatim). */
export const TIMEOUT_TEXT = "Request timed out before a response was generated. Please try " +
  "again, or increase `agents.defaults.timeoutSeconds` in your config.";
