import { Button, Group, Modal, Popover, Stack, Text, TextInput } from '@mantine/core';
import type { TBoard } from '@pulse/shared/boards';
import { useState, type FormEvent } from 'react';
import { useDeleteBoard, useRenameBoard } from '../hooks/use-boards.ts';
import { ErrorAlert } from './error-alert.tsx';

/** Rename and delete (after asking) a board; a refusal shows beside the control that met it. */
export function BoardActions({ board }: { board: TBoard }) {
  return (
    <Group gap="xs">
      <RenameBoard board={board} />
      <DeleteBoard board={board} />
    </Group>
  );
}

function RenameBoard({ board }: { board: TBoard }) {
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState(board.name);
  const rename = useRenameBoard();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate({ id: board.id, name: name.trim() }, { onSuccess: () => setOpened(false) });
  };
  const toggle = () => {
    setName(board.name);
    rename.reset();
    setOpened((open) => !open);
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={320} shadow="md" trapFocus>
      <Popover.Target>
        <Button size="xs" variant="default" onClick={toggle} data-testid="board-rename">
          Rename
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form onSubmit={submit}>
          <Stack gap="xs">
            <TextInput label="Board name" value={name} onChange={(event) => setName(event.currentTarget.value)} required data-testid="board-rename-input" />
            {rename.error ? <ErrorAlert error={rename.error} /> : null}
            <Group justify="flex-end">
              <Button type="submit" size="xs" loading={rename.isPending} disabled={name.trim() === ''} data-testid="board-rename-save">
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

function DeleteBoard({ board }: { board: TBoard }) {
  const [opened, setOpened] = useState(false);
  const remove = useDeleteBoard();
  const close = () => {
    remove.reset();
    setOpened(false);
  };
  return (
    <>
      <Button size="xs" variant="light" color="red" onClick={() => setOpened(true)} data-testid="board-delete">
        Delete
      </Button>
      <Modal opened={opened} onClose={close} title={`Delete “${board.name}”?`}>
        <Stack>
          <Text size="sm">
            The board and its {board.tiles.length} tile{board.tiles.length === 1 ? '' : 's'} go for good; the events they count stay.
          </Text>
          {remove.error ? <ErrorAlert error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate({ id: board.id }, { onSuccess: close })}
              data-testid="board-delete-confirm"
            >
              Delete board
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
