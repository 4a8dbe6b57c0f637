import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useCreateBoard } from '../hooks/use-boards.ts';
import { boardAllowance } from '../lib/board-plan.ts';
import { describeError } from '../lib/trpc-errors.ts';

interface BoardCreateFormProps {
  /** Boards the tenant has, and its plan: what the allowance line counts against. */
  count: number | undefined;
  plan: string | undefined;
  canEdit: boolean;
}

/**
 * How many boards the plan allows, and (for those who may edit boards) "New board". The server alone decides whether
 * one more fits the plan: its refusal, which says why, shows here.
 */
export function BoardCreateForm({ count, plan, canEdit }: BoardCreateFormProps) {
  const [name, setName] = useState('');
  const create = useCreateBoard();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() }, { onSuccess: () => setName('') });
  };
  const allowance =
    count === undefined || plan === undefined ? null : (
      <Text size="sm" c="dimmed" data-testid="board-allowance">
        {boardAllowance(count, plan)}
      </Text>
    );
  if (!canEdit) return allowance;
  return (
    <Stack gap="xs" align="flex-end">
      <form onSubmit={submit}>
        <Group gap="xs" align="flex-end">
          <TextInput
            size="xs"
            placeholder="New board name"
            aria-label="New board name"
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              if (create.isError) create.reset();
            }}
            required
            data-testid="board-name-input"
          />
          <Button type="submit" size="xs" loading={create.isPending} disabled={name.trim() === ''} data-testid="board-create">
            New board
          </Button>
        </Group>
      </form>
      {allowance}
      {create.error ? (
        <Alert color="red" variant="light" title="The board was not created" maw={420} data-testid="board-create-error">
          {describeError(create.error).detail}
        </Alert>
      ) : null}
    </Stack>
  );
}
