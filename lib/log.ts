/**
 * Structured logging: one JSON object per line. Everything passes through `scrub`, which masks
 * anything shaped like a card number or a secret, so neither can reach the logs by accident.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const CARD_NUMBER = /\b(?:\d[ -]?){12,18}\d\b/g;
const SECRET = /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9_]+|\bwhsec_[A-Za-z0-9_]+|\bBearer\s+[A-Za-z0-9._~+/=-]+/g;
const SECRET_KEY_NAMES = /pass(word)?|secret|token|authorization|cookie|cvc|cvv|card_?number|pan$/i;

/** Masks card-number-shaped digit runs and provider secrets in any value, deeply. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(CARD_NUMBER, '[redacted-number]').replace(SECRET, '[redacted-secret]');
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: scrub(value.message), stack: scrub(value.stack) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY_NAMES.test(key) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

function threshold(): number {
  const level = process.env.LOG_LEVEL as Level | undefined;
  return LEVELS[level && level in LEVELS ? level : 'info'];
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (LEVELS[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: scrub(msg), ...(scrub(fields ?? {}) as object) });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
