/**
 * Starts moto's AWS API emulator (`python3 -m moto.server`) on a free loopback port for a test
 * file, and stops it after. Where moto is missing the tests skip with a visible message, except
 * under CI (`CI=true`), where a missing emulator is a failure.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Whether `python3 -m moto.server` can run here, and why not when it cannot. */
export function motoAvailability(): { available: boolean; reason: string } {
  const probe = spawnSync('python3', ['-c', 'import moto.server, flask'], { encoding: 'utf8' });
  if (probe.error !== undefined)
    return { available: false, reason: `python3 not runnable (${probe.error.message})` };
  if (probe.status !== 0)
    return {
      available: false,
      reason: `moto server not importable: ${probe.stderr.trim().split('\n').at(-1) ?? ''}`,
    };
  return { available: true, reason: '' };
}

/**
 * True when the emulator tests should run. Prints why they are skipped; throws under CI so a
 * pipeline without moto fails instead of silently passing.
 */
export function requireMoto(): boolean {
  const { available, reason } = motoAvailability();
  if (available) return true;
  const message = `emulator tests need moto (pip install 'moto[server]'): ${reason}`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true, so this is a failure, not a skip`);
  console.warn(`\n*** SKIPPING ${message} ***\n`);
  return false;
}

/** A running emulator. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts moto on a free loopback port and resolves once it answers HTTP. */
export async function startMoto(timeoutMs = 20_000): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
