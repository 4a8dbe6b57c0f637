import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { TGoal } from '@pulse/shared/goals';
import { ErrorAlert } from './error-alert.tsx';

interface GoalDeleteModalProps {
  /** The goal to delete; null: the dialog is closed. */
  goal: TGoal | null;
  deleting: boolean;
  error: unknown;
  onConfirm: (goal: TGoal) => void;
  onCancel: () => void;
}

/** "Delete goal …?": a goal deleted is gone from the report for every range, so it is asked first. */
export function GoalDeleteModal({ goal, deleting, error, onConfirm, onCancel }: GoalDeleteModalProps) {
  return (
    <Modal opened={goal !== null} onClose={onCancel} title="Delete goal" centered>
      {goal ? (
        <Stack gap="sm" data-testid="goal-delete-dialog">
          <Text size="sm">Delete the goal “{goal.name}”? The events stay; the report just stops counting them as this goal, for every range.</Text>
          {error ? <ErrorAlert error={error} /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onCancel}>
              Keep it
            </Button>
            <Button color="red" loading={deleting} onClick={() => onConfirm(goal)} data-testid="goal-delete-confirm">
              Delete goal
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
