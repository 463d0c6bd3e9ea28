import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// For `vite dev`: the API and the live socket come from a server started on 3100
// (`PORT=3100 DEMO=true SIMULATE=true npx tsx server/src/main.ts`).
const apiTarget = process.env.LIANFANG_API ?? 'http://127.0.0.1:3100';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // Host kept (no changeOrigin): the server accepts cookie writes and socket handshakes whose
    // Origin matches the Host they were sent to, here the dev server's.
    proxy: {
      '/api': { target: apiTarget },
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
  ssr: {
    // Kit's build-time server bundle imports `cookie`; the workspace root hoists cookie@2 (a server
    // dependency) whose API differs from the 0.6 Kit needs. Bundling it resolves Kit's own copy.
    noExternal: ['cookie'],
  },
  build: {
    // maplibre-gl is one ~1 MB module; splitting it buys nothing on an intranet.
    chunkSizeWarningLimit: 1500,
  },
});
