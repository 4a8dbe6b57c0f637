import type { CallerRouter } from './caller-router.js';

// Values that exist for their types alone: tsc writes an inferred type out in full in a declaration file, so
// dist/caller-api.d.ts holds every procedure's input and output and the error shape, and nothing of the
// backend. Nothing imports these at run time.
const typeOf = <T>() => undefined as T;

/** Every procedure, by path, with its kind, input and output. */
export const callerRecord = typeOf<CallerRouter['_def']['record']>();
/** What an error's `shape` (and `data`) holds: the HTTP status, Pulse's error code, when to retry. */
export const errorShape = typeOf<CallerRouter['_def']['_config']['$types']['errorShape']>();
export const transformer = typeOf<CallerRouter['_def']['_config']['$types']['transformer']>();
