// SvelteKit as a static single-page app: the server serves web/build with an index.html fallback.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    // The page is served by our own Fastify server on an intranet: everything from this origin.
    paths: { relative: false },
    // The patrol page registers src/service-worker.ts itself (scope /patrol): the command map needs no offline shell.
    serviceWorker: { register: false },
  },
};

export default config;
