/**
 * What the canvas host adds to every HTML page it serves: the bridge
 * (`OpenClaw.postMessage` / `sendUserAction` to the native app's
 * `openclawCanvasA2UIAction` handler) and the live-reload socket on
 * `/__openclaw__/ws`. Also the demo page written when the root has none.
 *
 * @module
 */

/** The bridge injected before the last `</body>` of every page. */
export const BRIDGE_SCRIPT = `<script>
(() => {
  const handlerName = "openclawCanvasA2UIAction";
  function post(payload) {
    const raw = typeof payload === "string" ? payload : JSON.stringify(payload);
    const ios = globalThis.webkit?.messageHandlers?.[handlerName];
    if (ios) { ios.postMessage(raw); return true; }
    const android = globalThis[handlerName];
    if (android && typeof android.postMessage === "function") { android.postMessage(raw); return true; }
    return false;
  }
  function sendUserAction(action) {
    const id = action?.id || (globalThis.crypto?.randomUUID?.() ?? String(Date.now()));
    return post({ userAction: { ...action, id } });
  }
  globalThis.OpenClaw = Object.assign(globalThis.OpenClaw ?? {}, { postMessage: post, sendUserAction });
  globalThis.openclawPostMessage = post;
  globalThis.openclawSendUserAction = sendUserAction;
})();
</script>`;

/**
 * The live-reload client (without its `<script>` tags, so tests can run it):
 * opens `/__openclaw__/ws` on the page's own host, under the page's
 * capability prefix or `oc_cap` when it has one, reloads on `reload`, and
 * reconnects with jittered backoff (0.5 s doubling to 10 s) when the socket
 * drops, e.g. while the gateway restarts.
 */
export const LIVE_RELOAD_CLIENT = `(() => {
  const scoped = location.pathname.match(/^\\/__openclaw__\\/cap\\/[^/]+/);
  const cap = scoped ? null : new URLSearchParams(location.search).get("oc_cap");
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    (scoped ? scoped[0] : "") + "/__openclaw__/ws" + (cap ? "?oc_cap=" + encodeURIComponent(cap) : "");
  let delay = 500;
  let timer;
  function retry() {
    clearTimeout(timer);
    const wait = delay * (0.8 + Math.random() * 0.4);
    delay = Math.min(delay * 2, 10000);
    timer = setTimeout(connect, wait);
  }
  function connect() {
    let ws;
    try { ws = new WebSocket(url); } catch { retry(); return; }
    ws.onopen = () => { delay = 500; };
    ws.onmessage = (ev) => { if (String(ev.data || "") === "reload") location.reload(); };
    ws.onclose = () => retry();
  }
  connect();
})();`;

/** `html` with the bridge (and the live-reload client) before its last `</body>` (appended when there is none). */
export function injectBridge(html: string, opts: { liveReload?: boolean } = {}): string {
  const script = opts.liveReload === false
    ? BRIDGE_SCRIPT
    : `${BRIDGE_SCRIPT}\n<script>\n${LIVE_RELOAD_CLIENT}\n</script>`;
  const at = html.toLowerCase().lastIndexOf("</body>");
  if (at < 0) return html + "\n" + script + "\n";
  return html.slice(0, at) + script + "\n" + html.slice(at);
}

/** The page written to an empty canvas root. */
export const DEMO_PAGE = `<!doctype html>
<html>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenClaw Canvas</title>
<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;background:#111;color:#eee}
.card{padding:24px 32px;border-radius:16px;background:#1d1d1f;max-width:420px}button{margin:4px}</style>
</head>
<body>
<div class="card">
<h1>OpenClaw Canvas</h1>
<p>Put your own <code>index.html</code> in this folder; the page reloads when files change.</p>
<button onclick="OpenClaw.sendUserAction({name:'hello'})">Send hello</button>
</div>
</body>
</html>
`;
