import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import type { TCreatedApiKey } from '@pulse/shared/auth';

/** A new key, in full: the server keeps only its hash, so this is the one chance to copy it. */
export function CreatedKeyAlert({ created }: { created: TCreatedApiKey }) {
  return (
    <Alert color="green" variant="light" title={`Key "${created.name}" created`} data-testid="created-key">
      <Stack gap="xs">
        <Text size="sm">Copy it now: it is shown only this once. Only its hash is stored, so it cannot be shown again.</Text>
        <Group gap="xs" wrap="nowrap">
          <Code data-testid="created-key-value" style={{ wordBreak: 'break-all' }}>
            {created.key}
          </Code>
          <CopyButton value={created.key}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}
