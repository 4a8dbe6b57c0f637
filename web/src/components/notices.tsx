import { Notification, Stack } from '@mantine/core';
import { useNoticeStore } from '../stores/notice-store.ts';

/** The stack of error notices in the corner; each says what happened and what to do. */
export function Notices() {
  const notices = useNoticeStore((state) => state.notices);
  const dismiss = useNoticeStore((state) => state.dismiss);
  if (notices.length === 0) return null;
  return (
    <Stack gap="xs" style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 1000, width: 380 }} data-testid="notices">
      {notices.map((notice) => (
        <Notification key={notice.id} color="red" title={notice.title} onClose={() => dismiss(notice.id)} withBorder>
          {notice.message}
        </Notification>
      ))}
    </Stack>
  );
}
