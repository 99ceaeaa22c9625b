// Bundles the `selfheal` CLI into one ESM file with the local esbuild (no tsc emit, no network).
import { build } from 'esbuild';

await build({
  entryPoints: ['bin/selfheal.ts'],
  // An explicit path (tests build to a temporary directory) leaves dist/ alone.
  outfile: process.argv[2] ?? 'dist/selfheal.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  // The AWS SDK (for `history`) ships CommonJS that requires Node built-ins; an ESM bundle has no
  // `require` of its own, so esbuild's shim needs one from createRequire.
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __selfhealCreateRequire } from 'node:module';",
      'const require = __selfhealCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
