// A tiny history router: every page has a real /h5/ URL a poster, SMS or share can carry.

const { reactive } = Vue;

export const route = reactive({ path: location.pathname, query: new URLSearchParams(location.search) });

export function go(to, { replace = false } = {}) {
  const url = new URL(to, location.origin);
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
    if (found) return { component: entry.component, props: entry.props ? entry.props(found) : {} };
  }
  return null;
}

// Back within the storefront; a deep link opened fresh goes to the home page instead.
export function back() {
  if (history.state && history.state.inApp) history.back();
  else go("/h5/");
}
