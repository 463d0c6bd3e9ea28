// A single-page app: the server hands out index.html for every path and the browser renders.
export const ssr = false;
export const prerender = false;
