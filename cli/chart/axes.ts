import { POLICY_ORDER } from '../backtest-report';
import { LEFT, MAIN, RIGHT, STRIP, W } from './layout';
import { niceTicks, type Scale, timeLabel, timeTicks } from './scale';
import { el, escapeXml } from './svg-parts';

/** Grid lines, time labels, the load axis (left) and the instances axis (right: load / target). */
export function grid(
  startSec: number,
  endSec: number,
  xt: Scale,
  y: Scale,
  yMax: number,
  target: number,
): string {
  const out: string[] = [];
  const { stepSec, ticks } = timeTicks(startSec, endSec);
  const stripBottom = STRIP.top + STRIP.rowHeight * POLICY_ORDER.length;
  for (const t of ticks) {
    out.push(el('line', { x1: xt(t), x2: xt(t), y1: MAIN.top, y2: stripBottom, stroke: '#e2e8f0' }));
    out.push(
      el(
        'text',
        { x: xt(t), y: stripBottom + 16, 'font-size': 11, fill: '#334155', 'text-anchor': 'middle' },
        escapeXml(timeLabel(t, stepSec)),
      ),
    );
  }
  for (const v of niceTicks(yMax)) {
    out.push(el('line', { x1: LEFT, x2: RIGHT, y1: y(v), y2: y(v), stroke: '#e2e8f0' }));
    out.push(
      el(
        'text',
        { x: LEFT - 6, y: y(v) + 4, 'font-size': 11, fill: '#334155', 'text-anchor': 'end' },
        v.toLocaleString('en-US'),
      ),
    );
  }
  for (const k of niceTicks(yMax / target).filter((k) => Number.isInteger(k) && k * target <= yMax)) {
    out.push(el('text', { x: RIGHT + 6, y: y(k * target) + 4, 'font-size': 11, fill: '#334155' }, String(k)));
  }
  const mid = (MAIN.top + MAIN.bottom) / 2;
  out.push(
    el(
      'text',
      {
        x: 20,
        y: mid,
        'font-size': 12,
        fill: '#334155',
        'text-anchor': 'middle',
        transform: `rotate(-90 20 ${mid})`,
      },
      'load (trace units)',
    ),
  );
  out.push(
    el(
      'text',
      {
        x: W - 18,
        y: mid,
        'font-size': 12,
        fill: '#334155',
        'text-anchor': 'middle',
        transform: `rotate(90 ${W - 18} ${mid})`,
      },
      'instances (capacity)',
    ),
  );
  out.push(
    el(
      'text',
      {
        x: (LEFT + RIGHT) / 2,
        y: stripBottom + 36,
        'font-size': 12,
        fill: '#334155',
        'text-anchor': 'middle',
      },
      'time (UTC)',
    ),
  );
  return out.join('\n');
}
