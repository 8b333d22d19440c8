/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Preact through the bundler's own JSX transform: no plugin, nothing to break across Vite majors.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  build: {
    target: 'es2020',
    manifest: true,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
  test: { include: ['test/**/*.test.ts'], environment: 'node' },
});
