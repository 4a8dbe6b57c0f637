import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { AppProviders } from './components/app-providers.tsx';
import { signInWithKeyFromUrl } from './lib/sign-in-from-url.ts';
import { useSessionStore } from './stores/session-store.ts';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

// A sign-in link's key becomes the session cookie before the first render asks who is signed in.
void signInWithKeyFromUrl().then((outcome) => {
  if (outcome === 'refused') useSessionStore.getState().signedOut('link-rejected');
  createRoot(rootElement).render(
    <StrictMode>
      <AppProviders>
        <App />
      </AppProviders>
    </StrictMode>,
  );
});
