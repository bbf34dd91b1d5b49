// A tiny history router shared by the storefront and the consoles: every screen has a real URL
// (a poster, an SMS, a bookmark or a reload lands on the same screen), navigation without reloads.

const { reactive } = Vue;

export const route = reactive({ path: location.pathname, query: new URLSearchParams(location.search) });

let base = "";

// The site's prefix ("/console/merchant"): go("till") then means `${base}/till`.
export function setBase(prefix) {
  base = prefix.replace(/\/$/, "");
}

export function go(to, { replace = false } = {}) {
  const url = new URL(to.startsWith("/") ? to : `${base}/${to}`, location.origin);
  history[replace ? "replaceState" : "pushState"]({ inApp: true }, "", url.pathname + url.search);
  route.path = url.pathname;
  route.query = url.searchParams;
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => {
  route.path = location.pathname;
  route.query = new URLSearchParams(location.search);
});

// <app-link to="/h5/...">: a real link (long-press, share) that navigates without a reload.
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

// Back within the site; a deep link opened fresh goes to the site's home instead.
export function back() {
  if (history.state && history.state.inApp) history.back();
  else go(`${base}/`);
}
