/**
 * The control UI: browser sources in `app/`, built by `deno task ui:build`
 * into the committed `ui-dist/`, served by {@link createControlUi}.
 *
 * @module
 */

export {
  type ControlUi,
  type ControlUiSettings,
  controlUiSettings,
  createControlUi,
  UI_CSP,
  UI_DIST,
} from "./serve.ts";
export { contentHash } from "./assets.ts";
