import { Button, Group, SegmentedControl, TextInput } from '@mantine/core';
import type { TCreateWebhookRequest } from '@pulse/shared/alerts';
import { useState, type FormEvent } from 'react';

interface WebhookFormProps {
  saving: boolean;
  onAdd: (request: TCreateWebhookRequest, added: () => void) => void;
}

const FORMATS = [
  { value: 'json', label: 'JSON' },
  { value: 'slack', label: 'Slack' },
];

/** A webhook's name, address and body format. */
export function WebhookForm({ saving, onAdd }: WebhookFormProps) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<'json' | 'slack'>('json');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAdd({ name: name.trim(), url: url.trim(), format }, () => {
      setName('');
      setUrl('');
    });
  };
  return (
    <form onSubmit={submit} data-testid="webhook-form">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Name"
          placeholder="On-call channel"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          data-testid="webhook-name"
        />
        <TextInput
          label="Address"
          placeholder="https://hooks.example.com/…"
          miw={320}
          value={url}
          onChange={(event) => setUrl(event.currentTarget.value)}
          data-testid="webhook-url"
        />
        <SegmentedControl data={FORMATS} value={format} onChange={(value) => setFormat(value as 'json' | 'slack')} data-testid="webhook-format" />
        <Button type="submit" loading={saving} disabled={name.trim() === '' || url.trim() === ''} data-testid="webhook-add">
          Add webhook
        </Button>
      </Group>
    </form>
  );
}
