/**
 * What the canvas host adds to every HTML page it serves: the bridge
 * (`OpenClaw.postMessage` / `sendUserAction` to the native app's
 * `openclawCanvasA2UIAction` handler) and the live-reload socket on
 * `/__openclaw__/ws`. Also the demo page written when the root has none.
 *
 * @module
 */

/** The script injected before the last `</body>`. */
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
  try {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(proto + "://" + location.host + "/__openclaw__/ws");
    ws.onmessage = (ev) => { if (String(ev.data || "") === "reload") location.reload(); };
  } catch {}
})();
</script>`;

/** `html` with the bridge before its last `</body>` (appended when there is none). */
export function injectBridge(html: string): string {
  const at = html.toLowerCase().lastIndexOf("</body>");
  if (at < 0) return html + "\n" + BRIDGE_SCRIPT + "\n";
  return html.slice(0, at) + BRIDGE_SCRIPT + "\n" + html.slice(at);
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
