// Path routing under the gateway's control UI base path (`<html
// data-base-path>`, filled in by the gateway when it serves index.html).

/** The base path, always starting and ending with `/`. */
export const basePath = document.documentElement.dataset.basePath || "/";

/** The current route: the first path segment after the base path ("" for the root). */
export function currentRoute() {
  const path = location.pathname.startsWith(basePath)
    ? location.pathname.slice(basePath.length)
    : "";
  return decodeURIComponent(path.split("/")[0] ?? "");
}

/** The URL of a route, e.g. `href("logs")` -> `/logs`. */
export function href(route) {
  return `${basePath}${route}`;
}

/** Goes to `route` without a page load and tells listeners (`route` event on window). */
export function navigate(route) {
  if (currentRoute() !== route) history.pushState(null, "", href(route));
  dispatchEvent(new Event("route"));
}

/** Same-page navigation for plain links inside the app; back/forward re-render. */
export function startRouter() {
  // Old hash routes (`#/logs`) still land on their page.
  if (location.hash.startsWith("#/")) {
    history.replaceState(null, "", href(location.hash.slice(2)));
  }
  addEventListener("popstate", () => dispatchEvent(new Event("route")));
  document.addEventListener("click", (e) => {
    const a = e.target instanceof Element ? e.target.closest("a[data-route]") : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) {
      return;
    }
    e.preventDefault();
    navigate(a.dataset.route);
  });
}
