import { Button, Group, Popover, Stack, Text, type MantineColor } from '@mantine/core';
import { useState, type ReactNode } from 'react';

interface ConfirmButtonProps {
  label: string;
  /** What the user is asked before it happens. */
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  loading?: boolean;
  disabled?: boolean;
  color?: MantineColor;
  /** The button's test id; its confirmation is `<testId>-confirm`. */
  testId?: string;
}

/** A button for something that cannot be undone: it asks first, beside itself. */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, loading, disabled, color = 'red', testId }: ConfirmButtonProps) {
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Button size="xs" variant="light" color={color} loading={loading} disabled={disabled} onClick={() => setOpened((open) => !open)} data-testid={testId}>
          {label}
        </Button>
      </Popover.Target>
      <Popover.Dropdown maw={320}>
        <Stack gap="xs">
          <Text size="sm">{question}</Text>
          <Group gap="xs" justify="flex-end">
            <Button size="xs" variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button
              size="xs"
              color={color}
              onClick={() => {
                setOpened(false);
                onConfirm();
              }}
              data-testid={testId ? `${testId}-confirm` : undefined}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
