import { pino, type Logger } from 'pino';

export type { Logger };

/** The process's structured JSON logger (one line per entry, on stdout). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'pulse' }, timestamp: pino.stdTimeFunctions.isoTime });
}
