import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TGoal } from '@pulse/shared/goals';
import { useState, type FormEvent } from 'react';
import type { useGoalChanges } from '../hooks/use-goals.ts';
import { ErrorAlert } from './error-alert.tsx';
import { isCompleteMatch, MatchInput } from './funnel-match-input.tsx';

interface GoalFormProps {
  /** The goal being edited; null: a new one. */
  editing: TGoal | null;
  changes: ReturnType<typeof useGoalChanges>;
  range: TSummaryRequest;
  eventNames: string[];
  onDone: () => void;
}

/** A goal's name and what counts as reaching it (an event, or a page, with optional filters): to create one or edit one. */
export function GoalForm({ editing, changes, range, eventNames, onDone }: GoalFormProps) {
  const [name, setName] = useState(editing?.name ?? '');
  const [match, setMatch] = useState<TEventMatch>(editing?.match ?? { kind: 'event', name: '' });
  const mutation = editing ? changes.update : changes.create;
  const complete = name.trim() !== '' && isCompleteMatch(match);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!complete) return;
    const sent = { name: name.trim(), match };
    const done = {
      onSuccess: () => {
        setName('');
        setMatch({ kind: 'event', name: '' });
        onDone();
      },
    };
    if (editing) changes.update.mutate({ id: editing.id, ...sent }, done);
    else changes.create.mutate(sent, done);
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} data-testid="goal-form">
      <Stack gap="sm">
        <Title order={4}>{editing ? `Edit goal “${editing.name}”` : 'New goal'}</Title>
        <TextInput
          label="Name"
          placeholder="Signed up, Saw pricing…"
          maw={360}
          value={name}
          onChange={(change) => setName(change.currentTarget.value)}
          data-testid="goal-name"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Reached when a visitor does
          </Text>
          <MatchInput value={match} onChange={setMatch} eventNames={eventNames} range={range} label="Goal" testId="goal-match" />
        </Stack>
        {mutation.error ? <ErrorAlert error={mutation.error} /> : null}
        <Group gap="sm">
          <Button type="submit" disabled={!complete} loading={mutation.isPending} data-testid="goal-save">
            {editing ? 'Save goal' : 'Create goal'}
          </Button>
          {editing ? (
            <Button variant="default" onClick={onDone} data-testid="goal-cancel">
              Cancel
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}
