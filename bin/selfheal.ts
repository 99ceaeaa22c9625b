/**
 * `selfheal` CLI entry: wires the real process and domain code into `cli/main` and sets the exit
 * code. Bundled to dist/selfheal.mjs; both files sit one level below the repository root, which
 * is how the bundled trace, the example configuration and the shipped SSM documents are found.
 */
import { fileURLToPath } from 'node:url';
import { productionDeps } from '../cli/deps';
import { main } from '../cli/main';
import { nodeIo } from '../cli/node-io';

const defaultTracePath = fileURLToPath(
  new URL('../data/traces/elb_request_count_8c0756.csv', import.meta.url),
);
const defaultConfigPath = fileURLToPath(new URL('../config/example.json', import.meta.url));
const shippedDocumentsDir = fileURLToPath(new URL('../lib/ssm-documents/', import.meta.url));
const io = nodeIo(
  defaultTracePath,
  process.env.SELFHEAL_DEBUG === '1',
  defaultConfigPath,
  shippedDocumentsDir,
);
process.exitCode = await main(process.argv.slice(2), io, productionDeps);
