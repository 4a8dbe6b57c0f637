import { Button, Group, Input, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { TAlertRule, TCreateAlertRuleRequest, TWebhook } from '@pulse/shared/alerts';
import type { TGoal } from '@pulse/shared/goals';
import { useState, type FormEvent } from 'react';
import { draftOf, NEW_RULE_DRAFT, requestOf, WINDOW_LABELS, type TAlertRuleDraft } from '../lib/alert-rules.ts';
import { AlertConditionFields } from './alert-condition-fields.tsx';
import { AlertMetricFields } from './alert-metric-fields.tsx';
import { ErrorAlert } from './error-alert.tsx';

interface AlertRuleFormProps {
  /** The rule being edited; null: a new one. */
  editing: TAlertRule | null;
  webhooks: TWebhook[];
  /** The tenant's goals, for a goal's conversions; undefined while they load. */
  goals: TGoal[] | undefined;
  saving: boolean;
  error: unknown;
  onSave: (request: TCreateAlertRuleRequest) => void;
  onClose: () => void;
}

const WINDOWS = Object.entries(WINDOW_LABELS).map(([value, label]) => ({ value, label }));

/** A rule's fields in a dialog: to create one or change one. The server checks them and says what is wrong. */
export function AlertRuleForm({ editing, webhooks, goals, saving, error, onSave, onClose }: AlertRuleFormProps) {
  const [draft, setDraft] = useState<TAlertRuleDraft>(editing ? draftOf(editing) : NEW_RULE_DRAFT);
  const change = (fields: Partial<TAlertRuleDraft>) => setDraft((current) => ({ ...current, ...fields }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(requestOf(draft));
  };

  return (
    <Modal opened onClose={onClose} title={editing ? `Edit rule “${editing.name}”` : 'New alert rule'} size="lg" centered>
      <form onSubmit={submit} data-testid="alert-form">
        <Stack gap="sm">
          <TextInput
            label="Name"
            placeholder="Signups stalled, Errors spiking…"
            value={draft.name}
            onChange={(event) => change({ name: event.currentTarget.value })}
            data-testid="alert-name"
          />
          <AlertMetricFields draft={draft} onChange={change} goals={goals} />
          <Input.Wrapper label="Per window" description="Aligned to UTC. Visitors and anomalies need 1 hour or 1 day.">
            <SegmentedControl
              fullWidth
              data={WINDOWS}
              value={draft.window}
              onChange={(window) => change({ window: window as TAlertRuleDraft['window'] })}
              data-testid="alert-window"
            />
          </Input.Wrapper>
          <AlertConditionFields draft={draft} onChange={change} />
          <SimpleGrid cols={3}>
            <NumberInput
              label="Windows before firing"
              description="breaching in a row"
              min={1}
              max={48}
              value={draft.pendingWindows}
              onChange={(pendingWindows) => change({ pendingWindows })}
              data-testid="alert-pending"
            />
            <NumberInput
              label="Cooldown (minutes)"
              description="before it may fire again"
              min={0}
              value={draft.cooldownMinutes}
              onChange={(cooldownMinutes) => change({ cooldownMinutes })}
              data-testid="alert-cooldown"
            />
            <Select
              label="Webhook"
              description="told when it fires or resolves"
              placeholder="None: the dashboard only"
              clearable
              data={webhooks.map((webhook) => ({ value: String(webhook.id), label: webhook.name }))}
              value={draft.webhookId}
              onChange={(webhookId) => change({ webhookId })}
              data-testid="alert-webhook"
            />
          </SimpleGrid>
          {error ? <ErrorAlert error={error} /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} data-testid="alert-save">
              {editing ? 'Save rule' : 'Create rule'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
