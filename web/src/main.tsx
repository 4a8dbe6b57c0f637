import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { AppProviders } from './components/app-providers.tsx';
import { signInFromUrl } from './lib/sign-in-from-url.ts';
import { useSessionStore } from './stores/session-store.ts';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

// A sign-in link's key or token becomes the session cookie before the first render asks who is signed in.
void signInFromUrl().then((outcome) => {
  if (outcome === 'key-refused') useSessionStore.getState().signedOut('link-rejected');
  if (outcome === 'link-refused') useSessionStore.getState().signedOut('sign-in-link-rejected');
  createRoot(rootElement).render(
    <StrictMode>
      <AppProviders>
        <App />
      </AppProviders>
    </StrictMode>,
  );
});
