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

/** The SDK client config moto accepts: its endpoint, a region and dummy credentials. */
export function motoClientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

/**
 * The environment that points the SDK's default chain at moto: every service's endpoint, the
 * region and dummy credentials.
 */
export function motoEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
}

/** A running emulator. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** How to run the emulator. */
export interface MotoOptions {
  /** How long to wait for the first HTTP answer. @default 20_000 */
  readonly timeoutMs?: number;
  /**
   * Handle one request at a time. moto's threaded server checks a DynamoDB condition and writes
   * the item without a lock, so concurrent conditional writes can both win (seen: 6 of 30
   * acquirers past a cap of 5); real DynamoDB applies each write atomically. Race tests need
   * this; the clients still race, only the server applies requests one by one. @default false
   */
  readonly atomicRequests?: boolean;
}

/**
 * moto's own server app behind a lock, for `atomicRequests`: the same app `python3 -m
 * moto.server` runs, with the WSGI call (including the response body) serialised.
 */
const ATOMIC_SERVER = `
import os, sys, threading
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
host, port = sys.argv[1], int(sys.argv[2])
os.environ.setdefault("MOTO_PORT", str(port))
app = DomainDispatcherApplication(create_backend_app)
lock = threading.Lock()
def atomic(environ, start_response):
    with lock:
        return list(app(environ, start_response))
run_simple(host, port, atomic, threaded=True)
`;

/**
 * Starts moto on a free loopback port and resolves once it answers HTTP. A number is read as
 * the timeout in milliseconds (the original signature).
 */
export async function startMoto(options: MotoOptions | number = {}): Promise<MotoServer> {
  const { timeoutMs = 20_000, atomicRequests = false } =
    typeof options === 'number' ? { timeoutMs: options } : options;
  const port = await freePort();
  const args = atomicRequests
    ? ['-c', ATOMIC_SERVER, '127.0.0.1', String(port)]
    : ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)];
  const child = spawn('python3', args, { stdio: ['ignore', 'ignore', 'pipe'] });
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
