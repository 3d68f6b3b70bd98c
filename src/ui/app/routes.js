// The pages: one import and one row each. `route` is the URL path segment
// (`/chat`), `tag` the custom element, `title` the nav label.

import "./pages/chat.js";
import "./pages/overview.js";
import "./pages/logs.js";
import "./pages/sessions.js";
import "./pages/config.js";

/** Nav order; the first row is the start page. */
export const ROUTES = [
  { route: "chat", tag: "oc-chat", title: "Chat" },
  { route: "overview", tag: "oc-overview", title: "Overview" },
  { route: "logs", tag: "oc-logs", title: "Logs" },
  { route: "sessions", tag: "oc-sessions", title: "Sessions" },
  { route: "config", tag: "oc-config", title: "Config" },
];

/** Other names users type for a page (the real UI's aliases). */
export const ALIASES = { "": "chat", settings: "config" };
