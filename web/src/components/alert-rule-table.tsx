import { Button, Group, Table, Text } from '@mantine/core';
import type { TAlertRule } from '@pulse/shared/alerts';
import type { TGoal } from '@pulse/shared/goals';
import { describeCondition, describeMetric } from '../lib/alert-rules.ts';
import { formatInstant } from '../lib/format.ts';
import { AlertStateBadge } from './alert-state-badge.tsx';
import { ConfirmButton } from './confirm-button.tsx';

interface AlertRuleTableProps {
  rules: TAlertRule[];
  /** The tenant's goals, to name those rules count; rules name a goal by its id until they come. */
  goals: TGoal[] | undefined;
  selectedId: number | null;
  onSelect: (rule: TAlertRule) => void;
  /** Whether the caller may change rules: without it, no Edit or Delete buttons. */
  canEdit: boolean;
  onEdit: (rule: TAlertRule) => void;
  onDelete: (rule: TAlertRule) => void;
  deletingId: number | null;
}

/** Every rule: what it watches, when it breaches, where it stands; a row chosen shows its chart below. */
export function AlertRuleTable({ rules, goals, selectedId, onSelect, canEdit, onEdit, onDelete, deletingId }: AlertRuleTableProps) {
  if (rules.length === 0)
    return (
      <Text c="dimmed" data-testid="alert-rules-empty">
        No alert rules yet{canEdit ? ': add one to hear when a number goes where it should not.' : '.'}
      </Text>
    );
  return (
    <Table highlightOnHover data-testid="alert-rule-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Rule</Table.Th>
          <Table.Th>Watches</Table.Th>
          <Table.Th>Breaches when</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>Last fired</Table.Th>
          <Table.Th>Next window judged</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rules.map((rule) => (
          <Table.Tr
            key={rule.id}
            onClick={() => onSelect(rule)}
            style={{ cursor: 'pointer' }}
            bg={rule.id === selectedId ? 'var(--mantine-primary-color-light)' : undefined}
            data-testid="alert-row"
            data-rule={rule.name}
          >
            <Table.Td fw={500}>{rule.name}</Table.Td>
            <Table.Td data-testid="alert-metric-text">{describeMetric(rule.metric, rule.window, goals)}</Table.Td>
            <Table.Td data-testid="alert-condition-text">{describeCondition(rule.condition)}</Table.Td>
            <Table.Td miw={100}>
              <AlertStateBadge state={rule.state} testId="alert-state" />
            </Table.Td>
            <Table.Td>{rule.lastFiredAt ? formatInstant(rule.lastFiredAt) : 'never'}</Table.Td>
            {/* A window is judged once it has closed (and settled), so this is its end. */}
            <Table.Td>{formatInstant(rule.nextWindowEnd)}</Table.Td>
            <Table.Td onClick={(click) => click.stopPropagation()}>
              {canEdit ? (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => onEdit(rule)} data-testid="alert-edit">
                    Edit
                  </Button>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete the rule “${rule.name}” with its history? Its webhook hears of it no more.`}
                    confirmLabel="Delete rule"
                    loading={deletingId === rule.id}
                    onConfirm={() => onDelete(rule)}
                    testId="alert-delete"
                  />
                </Group>
              ) : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
