/**
 * `npm run bench`: runs every benchmark section (or those named on the command line), prints
 * each table and writes each section's JSON to bench/results/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from './section';

type SectionRunner = () => Promise<BenchSection | BenchSection[]>;

const sections: Record<string, () => Promise<SectionRunner>> = {
  accuracy: async () => (await import('./accuracy')).run,
  backtest: async () => (await import('./backtest')).run,
  speed: async () => (await import('./speed')).run,
  remediation: async () => (await import('./remediation')).run,
  scaler: async () => (await import('./scaler')).run,
};

// The SDK warns on Node.js 20 about its future minimum version, once per client, into the tables;
// the Lambdas themselves run on Node.js 24. Children inherit the setting.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in sections));
  if (unknown.length > 0) {
    console.error(
      `unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`,
    );
    process.exit(2);
  }
  mkdirSync(resultsDir, { recursive: true });
  for (const key of wanted.length > 0 ? wanted : Object.keys(sections)) {
    const runner = await (sections[key] as () => Promise<SectionRunner>)();
    const produced = await runner();
    for (const section of Array.isArray(produced) ? produced : [produced]) {
      const file = join(resultsDir, `${section.name}.json`);
      writeFileSync(file, `${JSON.stringify(section.json, null, 2)}\n`);
      console.log(`\n## ${section.title}\n\n${section.table}\n\n(wrote ${file})`);
    }
  }
}

await main();
