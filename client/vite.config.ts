import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { precompressPlugin } from '../scripts/precompress.js';

const clientDirectory = fileURLToPath(new URL('.', import.meta.url));
const repositoryDirectory = fileURLToPath(new URL('..', import.meta.url));
const domainDirectory = fileURLToPath(new URL('../domain', import.meta.url));

/** The product server; the dev server forwards API, tile and glyph requests to it. */
const serverOrigin = process.env.BIAOTU_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: clientDirectory,
  base: '/',
  // Brotli and gzip copies beside the built files, served by @fastify/static (server/app.ts).
  plugins: [vue(), precompressPlugin()],
  resolve: {
    alias: { '@domain': domainDirectory },
  },
  // MapLibre ships prebuilt ES modules plus a worker module; pre-bundling it breaks rendering
  // (see /work/shared/FACTS.md), so it is served as is.
  optimizeDeps: { exclude: ['maplibre-gl'] },
  server: {
    host: '127.0.0.1',
    port: 5173,
    fs: { allow: [repositoryDirectory] },
    // The server writes absolute tile URLs into its TileJSON from the request's Host header; keeping
    // the browser's Host (changeOrigin: false) makes them point at this dev server, not across origins.
    proxy: {
      '/api': { target: serverOrigin, changeOrigin: false },
      '/tiles': { target: serverOrigin, changeOrigin: false },
      '/glyphs': { target: serverOrigin, changeOrigin: false },
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // MapLibre alone is about 1 MB minified; libraries get their own chunks so a client change
    // does not make every official download them again.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // Two pages: the officials' app (index.html) and the public 招商地图 (zhaoshang/index.html, served
      // at /zhaoshang/), a bundle of its own without Element Plus, ECharts or the admin pages.
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        zhaoshang: fileURLToPath(new URL('./zhaoshang/index.html', import.meta.url)),
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@vueuse|lodash)/ },
            // First, so that Vue is a chunk of its own: the public 招商地图 needs it without Element Plus (a group
            // takes its modules' dependencies along, and Vue is one of Element Plus's).
            { name: 'vue', test: /node_modules[\\/]@?vue/, priority: 1 },
          ],
        },
      },
    },
  },
});
