// The officers' console's router: the shared one (static/shared/router.js), rooted here.

import { setBase } from "/assets/shared/router.js";

export const BASE = "/console/admin";
setBase(BASE);

export { AppLink, go, match, route } from "/assets/shared/router.js";
