import { Alert, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useCreateApiKey } from '../hooks/use-api-keys.ts';
import { usePermission } from '../hooks/use-permission.ts';
import { CreatedKeyAlert } from './created-key-alert.tsx';
import { ErrorAlert } from './error-alert.tsx';

const NEW_KEY_NAME = 'Website (Tracking page)';
/** Keys say their scope: "pk_<scope>_…". Only an ingest key belongs in a web page. */
const NOT_FOR_PAGES = /^pk_(read|admin)_/;

interface IngestKeyChooserProps {
  apiKey: string;
  onChange: (apiKey: string) => void;
}

/** The key the snippets carry: a new ingest key (for those who manage keys), or one pasted in. Kept by the page only. */
export function IngestKeyChooser({ apiKey, onChange }: IngestKeyChooserProps) {
  const manageKeys = usePermission('manageKeys');
  const scopeOfPasted = NOT_FOR_PAGES.exec(apiKey.trim())?.[1];
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Text size="sm">Keys are stored hashed, so an existing key cannot be shown again: create an ingest key for this site, or paste one you kept.</Text>
        {manageKeys.allowed ? (
          <CreateIngestKey onCreated={onChange} />
        ) : (
          <Text size="sm" c="dimmed" data-testid="tracking-needs-admin">
            Creating a key needs {manageKeys.needs ?? 'an admin'}: ask an admin, or paste an ingest key below.
          </Text>
        )}
        <TextInput
          label="Ingest key"
          description="Used only to fill in the snippets below; not saved anywhere."
          placeholder="pk_ingest_…"
          value={apiKey}
          onChange={(event) => onChange(event.currentTarget.value)}
          spellCheck={false}
          autoComplete="off"
          data-testid="tracking-key-input"
        />
        {scopeOfPasted ? (
          <Alert color="yellow" variant="light" title={`That is a ${scopeOfPasted} key`}>
            Anyone who opens your pages can read the key in them. Put only an ingest key there: it can send events and nothing else.
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}

function CreateIngestKey({ onCreated }: { onCreated: (apiKey: string) => void }) {
  const create = useCreateApiKey({ onCreated });
  return (
    <Stack gap="sm">
      <Group>
        <Button onClick={() => create.mutate({ name: NEW_KEY_NAME, scope: 'ingest' })} loading={create.isPending} data-testid="tracking-create-key">
          Create an ingest key for this site
        </Button>
      </Group>
      {create.error ? <ErrorAlert error={create.error} /> : null}
      {create.data ? <CreatedKeyAlert created={create.data} /> : null}
    </Stack>
  );
}
