/**
 * moto for one `describe`: each test file that calls this starts its own server, so files running
 * in parallel workers never share one. Kept apart from `moto-server.ts`, which the benchmarks
 * import outside vitest.
 */
import { afterAll, beforeAll } from 'vitest';
import { type MotoOptions, type MotoServer, startMoto } from './moto-server';

/**
 * Starts moto before the enclosing `describe`'s tests and stops it after them; returns the running
 * server, to call inside a test or hook (it throws outside the suite).
 */
export function motoForSuite(options: MotoOptions = {}): () => MotoServer {
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMoto(options);
  }, 30_000);
  afterAll(async () => moto?.stop());
  return () => {
    if (moto === undefined) throw new Error('moto is not running: call motoForSuite inside the describe');
    return moto;
  };
}
