// A tiny history router for the merchant console: every screen has a real URL under
// /console/merchant/ (a bookmark, a reload or a new tab lands on the same screen).

const { reactive } = Vue;

export const BASE = "/console/merchant";

export const route = reactive({ path: location.pathname, query: new URLSearchParams(location.search) });

export function go(to, { replace = false } = {}) {
  const url = new URL(to.startsWith("/") ? to : `${BASE}/${to}`, location.origin);
  history[replace ? "replaceState" : "pushState"]({ inApp: true }, "", url.pathname + url.search);
  route.path = url.pathname;
  route.query = url.searchParams;
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => {
  route.path = location.pathname;
  route.query = new URLSearchParams(location.search);
});

// <app-link to="/console/merchant/...">: a real link that navigates without a reload.
export const AppLink = {
  props: { to: { type: String, required: true } },
  template: `<a :href="to" @click="open"><slot /></a>`,
  methods: {
    open(event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      go(this.to);
    },
  },
};

// The first route whose pattern matches wins; its groups become the page's props.
export function match(routes, path) {
  for (const entry of routes) {
    const found = path.match(entry.pattern);
    if (found) return { ...entry, props: entry.props ? entry.props(found) : {} };
  }
  return null;
}
