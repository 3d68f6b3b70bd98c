// The pages: one import and one row each. `route` is the URL path segment
// (`/chat`), `tag` the custom element, `title` the nav label.

import "./pages/chat.js";
import "./pages/overview.js";
import "./pages/logs.js";

/** Nav order; the first row is the start page. */
export const ROUTES = [
  { route: "chat", tag: "oc-chat", title: "Chat" },
  { route: "overview", tag: "oc-overview", title: "Overview" },
  { route: "logs", tag: "oc-logs", title: "Logs" },
];

/** Other names users type for a page (the real UI's aliases). */
export const ALIASES = { "": "chat" };
