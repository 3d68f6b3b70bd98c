// The pages: one import and one row each. `route` is the URL path segment
// (`/chat`), `tag` the custom element, `title` the nav label.

import "./pages/chat.js";
import "./pages/overview.js";
import "./pages/sessions.js";
import "./pages/channels.js";
import "./pages/nodes.js";
import "./pages/config.js";
import "./pages/logs.js";

/** Nav order; the first row is the start page. */
export const ROUTES = [
  { route: "chat", tag: "oc-chat", title: "Chat" },
  { route: "overview", tag: "oc-overview", title: "Overview" },
  { route: "sessions", tag: "oc-sessions", title: "Sessions" },
  { route: "channels", tag: "oc-channels", title: "Channels" },
  { route: "nodes", tag: "oc-nodes", title: "Nodes" },
  { route: "config", tag: "oc-config", title: "Config" },
  { route: "logs", tag: "oc-logs", title: "Logs" },
];

/** Other names users type for a page (the real UI's aliases). */
export const ALIASES = { "": "chat", devices: "nodes", settings: "config" };
