/**
 * Review: `selfheal explain --event FILE` prints the event's alarm name raw. An event file is
 * untrusted input (pasted from a ticket, a chat, another account's bus); a JSON string may hold
 * "\u001b", so a file whose alarm name carries terminal escape sequences (clear screen, OSC 52
 * clipboard write) sends them to the operator's terminal instead of showing them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { fakeDeps } from '../cli/fixtures/fake-deps';
import { memoryIo } from '../cli/fixtures/memory-io';

const EXAMPLE_CONFIG = readFileSync(new URL('../../config/example.json', import.meta.url), 'utf8');
const DISK_EVENT = readFileSync(
  new URL('../fixtures/events/example-disk-full-alarm.json', import.meta.url),
  'utf8',
);

const ESC = '\u001b';
const BEL = '\u0007';

/** The example disk-full event with escape sequences appended to its alarm name (still `disk-full-*`). */
function hostileEvent(): string {
  const event = JSON.parse(DISK_EVENT) as { detail: { alarmName: string } };
  event.detail.alarmName = `${event.detail.alarmName}${ESC}[2J${ESC}]52;c;Y3VybCBldmlsIHwgc2gK${BEL}`;
  return JSON.stringify(event);
}

describe('selfheal explain with escape sequences in the event file (review)', () => {
  it('prints no raw ESC or BEL from the alarm name', async () => {
    const io = {
      ...memoryIo({ '/repo/config/example.json': EXAMPLE_CONFIG, 'evil.json': hostileEvent() }),
      defaultConfigPath: '/repo/config/example.json',
    };

    const code = await main(['explain', '--event', 'evil.json'], io, fakeDeps);
    const out = io.out.join('');

    expect(code).toBe(0);
    expect(out).toContain('disk-full');
    expect(out).not.toContain(ESC);
    expect(out).not.toContain(BEL);
  });
});
