// Bundles the `selfheal` CLI into one ESM file with the local esbuild (no tsc emit, no network).
import { build } from 'esbuild';

await build({
  entryPoints: ['bin/selfheal.ts'],
  outfile: 'dist/selfheal.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
