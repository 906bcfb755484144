/** The sandbox clock: wall time plus an offset the control surface can advance (never backwards). */
import type { SandboxClock } from './contracts';

export interface AdjustableClock extends SandboxClock {
  /** Back to wall time (control surface reset). */
  reset(): void;
  /** Called after every change of the offset (persistence, waking timers). */
  onChange(listener: (offsetSeconds: number) => void): void;
}

export function createClock(initialOffsetSeconds = 0, wallNow: () => number = () => Date.now()): AdjustableClock {
  let offset = initialOffsetSeconds;
  const listeners: Array<(offsetSeconds: number) => void> = [];
  const notify = () => listeners.forEach((l) => l(offset));
  return {
    now: () => wallNow() + offset * 1000,
    nowSeconds: () => Math.floor((wallNow() + offset * 1000) / 1000),
    offsetSeconds: () => offset,
    advance(seconds: number) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('seconds must be a non-negative number');
      offset += Math.floor(seconds);
      notify();
    },
    reset() {
      offset = 0;
      notify();
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
