import type { TAuditEntry, TAuditPage } from '@pulse/shared/audit';
import type { Logger } from '../infra/logger.ts';
import type { AuditDetails, AuditRepository, NewAuditEntry } from '../repositories/audit-repository.ts';
import { actorOf, type Principal } from './principal.ts';

/** Input fields never written to the log. */
const SECRET_FIELDS = new Set(['password', 'currentPassword', 'newPassword', 'token', 'apiKey', 'key']);
/** Details past this size are summarised: the log says what was asked, it is not a copy of every board. */
const MAX_DETAIL_BYTES = 4_096;
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
const MAX_TEXT = 500;

/** Who did what to a tenant: every change made through the API, and the operator's changes from the CLI. */
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  /**
   * Records a change made through the API, once it is made. A failure to record is logged, not thrown: the
   * change happened, and an error would tell the caller it had not (and invite a second one).
   */
  async recordChange(principal: Principal, action: string, input: unknown): Promise<void> {
    await this.record(principal.tenant.id, principal, action, input).catch((error: unknown) => {
      this.logger.error({ err: error, action, tenantId: principal.tenant.id }, 'a change could not be written to the audit log');
    });
  }

  /** Records a change a caller made; `input` is what they sent (secrets are dropped, size bounded). */
  async record(tenantId: number, principal: Principal | 'operator', action: string, input: unknown): Promise<void> {
    const actor = principal === 'operator' ? { kind: 'operator' as const, name: 'operator (npm run admin)' } : actorOf(principal);
    const details = boundedDetails(input);
    const entry: NewAuditEntry = { tenantId, at: new Date(), actorKind: actor.kind, actor: actor.name, action, target: targetOf(input), details };
    await this.entries.add(entry);
  }

  async list(tenantId: number, limit: number, before?: string): Promise<TAuditPage> {
    const rows = await this.entries.list(tenantId, limit + 1, before === undefined ? undefined : BigInt(before));
    const entries: TAuditEntry[] = rows.slice(0, limit).map((row) => ({
      id: row.id.toString(),
      at: row.at.toISOString(),
      actorKind: row.actorKind as TAuditEntry['actorKind'],
      actor: row.actor,
      action: row.action,
      target: row.target,
      details: (row.details ?? {}) as Record<string, unknown>,
    }));
    return { entries, hasMore: rows.length > limit };
  }
}

/** The one thing a change names, when it names one: `id`, `userId`, `keyId`… */
function targetOf(input: unknown): string {
  if (!isRecord(input)) return '';
  for (const field of ['id', 'userId', 'keyId', 'runId']) {
    const value = input[field];
    if (typeof value === 'number' || typeof value === 'string') return boundedText(`${field === 'id' ? '' : `${field} `}${value}`.trim());
  }
  return '';
}

/**
 * What was asked for, as JSON PostgreSQL takes: the input passed the procedure's schema, but the raw input may
 * also carry whatever else the caller sent (deep nesting, NUL characters, megabytes), none of which may stop the
 * entry being written. Secrets are left out.
 */
function boundedDetails(input: unknown): AuditDetails {
  const details = isRecord(input) ? (boundedJson(input, 0) as AuditDetails) : {};
  const bytes = Buffer.byteLength(JSON.stringify(details));
  if (bytes <= MAX_DETAIL_BYTES) return details;
  return { summarised: `${bytes.toLocaleString('en')} bytes of input`, fields: Object.keys(details).slice(0, MAX_ITEMS) };
}

function boundedJson(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return boundedText(value);
  if (typeof value !== 'object' || value === null) return typeof value === 'number' || typeof value === 'boolean' ? value : null;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => boundedJson(item, depth + 1));
  const fields = Object.entries(value).filter(([field]) => !SECRET_FIELDS.has(field));
  return Object.fromEntries(fields.slice(0, MAX_ITEMS).map(([field, item]) => [boundedText(field), boundedJson(item, depth + 1)]));
}

/** PostgreSQL's text and JSON refuse NUL; a long value says no more than its start. */
function boundedText(text: string): string {
  const clean = text.replaceAll('\u0000', '');
  return clean.length <= MAX_TEXT ? clean : `${clean.slice(0, MAX_TEXT)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
