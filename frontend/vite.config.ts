/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// The dev server (npm run dev) proxies the API, sign-in and HTTP-FLV to a Sluice running on :8080.
const backend = 'http://localhost:8080';

export default defineConfig({
  build: {
    // Maven passes --outDir ${project.build.outputDirectory}/static; this is the default for a plain npm run build
    outDir: '../target/classes/static',
    emptyOutDir: true,
    // assets/ is what Spring Security lets through before sign-in (the sign-in page needs its script and CSS)
    assetsDir: 'assets',
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      input: { main: here('./index.html'), login: here('./login.html') },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/login': backend,
      '/logout': backend,
      '/live': backend,
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
});
