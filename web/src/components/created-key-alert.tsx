import { Alert, Stack, Text } from '@mantine/core';
import type { TCreatedApiKey } from '@pulse/shared/auth';
import { CopyableSecret } from './copyable-secret.tsx';

/** A new key, in full: the server keeps only its hash, so this is the one chance to copy it. */
export function CreatedKeyAlert({ created }: { created: TCreatedApiKey }) {
  return (
    <Alert color="green" variant="light" title={`Key "${created.name}" created`} data-testid="created-key">
      <Stack gap="xs">
        <Text size="sm">Copy it now: it is shown only this once. Only its hash is stored, so it cannot be shown again.</Text>
        <CopyableSecret value={created.key} testId="created-key-value" />
      </Stack>
    </Alert>
  );
}
