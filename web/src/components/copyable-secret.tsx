import { Button, Code, CopyButton, Group } from '@mantine/core';

/** A secret shown once (a new API key, a webhook's signing secret), in full, with a button that copies it. */
export function CopyableSecret({ value, testId }: { value: string; testId: string }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Code data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="xs" variant="light" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
