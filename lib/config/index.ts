import { formatConfigProblems, parseConfig, type AppConfig } from './schema';

export type { AppConfig, PaymentsMode } from './schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(formatConfigProblems(problems));
    this.name = 'ConfigError';
  }
}

const CACHE = Symbol.for('billing.config');
type Holder = { [CACHE]?: AppConfig };

/** The validated settings, read from process.env once per process. Throws ConfigError listing every problem. */
export function getConfig(): AppConfig {
  const holder = globalThis as Holder;
  if (!holder[CACHE]) {
    const result = parseConfig(process.env);
    if (!result.ok) throw new ConfigError(result.problems);
    holder[CACHE] = result.config;
  }
  return holder[CACHE];
}
