// The storefront's router: the shared one (static/shared/router.js), rooted at /h5/.

import { setBase } from "/assets/shared/router.js";

setBase("/h5");

export { AppLink, back, go, match, route } from "/assets/shared/router.js";
