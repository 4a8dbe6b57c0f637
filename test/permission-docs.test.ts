import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { KEY_SCOPE_PERMISSIONS, PERMISSION_LABELS, PERMISSIONS, ROLE_PERMISSIONS } from '@pulse/shared/roles';

const DOC = readFileSync(join(import.meta.dirname, '..', 'docs', 'ACCOUNTS.md'), 'utf8');

it("docs/ACCOUNTS.md's permission table is the matrix the server enforces", () => {
  const rows = DOC.split('\n')
    .filter((line) => /^\| [a-zA-Z]+ \| /.test(line) && !line.startsWith('| permission'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const grants = [...Object.values(ROLE_PERMISSIONS), ...Object.values(KEY_SCOPE_PERMISSIONS)];
  const expected = PERMISSIONS.map((permission) => [
    permission,
    PERMISSION_LABELS[permission],
    ...grants.map((held) => (held.includes(permission) ? '✓' : '')),
  ]);
  expect(rows).toEqual(expected);
});
