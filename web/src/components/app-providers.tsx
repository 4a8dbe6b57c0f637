import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { queryClient } from '../lib/query-client.ts';
import { trpc, trpcClient } from '../lib/trpc.ts';
import { theme } from '../theme.ts';

export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <MantineProvider theme={theme} defaultColorScheme="auto">
          {children}
          {/* Error notices in the corner (lib/query-client.ts); each says what happened and what to do. */}
          <Notifications position="bottom-right" limit={4} />
        </MantineProvider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
