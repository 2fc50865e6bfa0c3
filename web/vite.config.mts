import path from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The web app. `@domain` is the pure domain code of the API, shared so the browser recomputes what the server does.
export default defineConfig({
  root: path.resolve(__dirname),
  plugins: [vue()],
  resolve: { alias: { '@domain': path.resolve(__dirname, '../api/src/domain') } },
  // the manifest lets the web bench measure the initial and per-route JavaScript
  build: { outDir: path.resolve(__dirname, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 2000, manifest: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
