import { Alert, Code, Stack, Text } from '@mantine/core';
import { CopyableSecret } from './copyable-secret.tsx';

/** A new webhook's signing secret, in full: shown this once, as a new API key is. */
export function CreatedWebhookAlert({ name, secret }: { name: string; secret: string }) {
  return (
    <Alert color="green" variant="light" title={`Webhook "${name}" added`} data-testid="created-webhook">
      <Stack gap="xs">
        <Text size="sm">
          Copy its signing secret now: it is shown only this once. Each delivery is signed per Standard Webhooks: check the <Code>webhook-signature</Code>{' '}
          header with this secret (with <Code>webhook-id</Code> and <Code>webhook-timestamp</Code>) before trusting a delivery.
        </Text>
        <CopyableSecret value={secret} testId="created-webhook-secret" />
      </Stack>
    </Alert>
  );
}
