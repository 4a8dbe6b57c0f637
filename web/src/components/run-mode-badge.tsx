import { Badge, Tooltip } from '@mantine/core';
import type { TRunMode } from '@pulse/shared/system';
import { useSystemInfo } from '../hooks/use-system-info.ts';

const MODE_DESCRIPTION: Record<TRunMode, string> = {
  embedded: 'PostgreSQL (PGlite), cache and pub/sub run inside the backend process',
  services: 'External PostgreSQL and Redis',
};

export function RunModeBadge() {
  const { data: systemInfo } = useSystemInfo();
  if (!systemInfo) return null;
  return (
    <Tooltip label={MODE_DESCRIPTION[systemInfo.mode]}>
      <Badge variant="outline" color={systemInfo.mode === 'embedded' ? 'grape' : 'teal'} visibleFrom="sm" data-testid="run-mode">
        {systemInfo.mode}
      </Badge>
    </Tooltip>
  );
}
