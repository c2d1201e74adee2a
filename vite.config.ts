import { defineConfig } from 'vite';

// The console is a static bundle served by the Fastify server from dist/console.
// In development `npm run dev:console` proxies the API to a server on :3000.
export default defineConfig({
  root: 'console',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    sourcemap: true,
    // One bundle on purpose: an agent's desk needs the softphone (sip.js, about half the size)
    // at sign-in, so splitting it off would only add a request. Warn when it outgrows that.
    chunkSizeWarningLimit: 700,
    // Its report of slow plugins on a busy machine is noise in `npm test` and the quick start.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/health': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
