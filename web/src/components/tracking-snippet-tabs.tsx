import { Badge, Code, List, Stack, Tabs, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import {
  curlSnippet,
  nodeSdkSnippet,
  PULSE_SCRIPT,
  pulseScriptCalls,
  pulseScriptTag,
  rudderStackSnippet,
  segmentSnippet,
  type TTrackingTarget,
} from '../lib/tracking-snippets.ts';
import { CodeSnippet } from './code-snippet.tsx';

/** The ways to send events here, each as code with this server's address and the chosen key filled in. */
export function TrackingSnippetTabs({ target }: { target: TTrackingTarget }) {
  return (
    <Tabs defaultValue="pulse" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="pulse" rightSection={<Badge size="xs">recommended</Badge>}>
          Pulse script
        </Tabs.Tab>
        <Tabs.Tab value="segment">Segment (analytics-next)</Tabs.Tab>
        <Tabs.Tab value="rudderstack">RudderStack</Tabs.Tab>
        <Tabs.Tab value="server">Server (Node, curl)</Tabs.Tab>
      </Tabs.List>
      <PulseScriptPanel target={target} />
      <SnippetPanel
        value="segment"
        intro={
          <>
            <Code>npm install @segment/analytics-next</Code>, then load it pointed at this server. Pulse serves the SDK's settings at{' '}
            <Code>
              {target.origin}/v1/projects/{target.key}/settings
            </Code>
            , so nothing is requested from Segment's servers.
          </>
        }
      >
        <CodeSnippet code={segmentSnippet(target)} testId="tracking-snippet-segment" />
      </SnippetPanel>
      <SnippetPanel
        value="rudderstack"
        intro={
          <>
            <Code>npm install @rudderstack/analytics-js</Code>. <Code>configUrl</Code> has the SDK read its source configuration from this server; the{' '}
            <Code>/bundled</Code> build carries its plugins, and with integrations and polyfills off it loads nothing from RudderStack's CDN.
          </>
        }
      >
        <CodeSnippet code={rudderStackSnippet(target)} testId="tracking-snippet-rudderstack" />
      </SnippetPanel>
      <SnippetPanel value="server" intro="From a backend or a script: the Segment and RudderStack Node SDKs send here unchanged, and so does plain HTTP.">
        <CodeSnippet code={nodeSdkSnippet(target)} testId="tracking-snippet-node" />
        <CodeSnippet code={curlSnippet(target)} testId="tracking-snippet-curl" />
      </SnippetPanel>
    </Tabs>
  );
}

function SnippetPanel({ value, intro, children }: { value: string; intro: ReactNode; children: ReactNode }) {
  return (
    <Tabs.Panel value={value} pt="md">
      <Stack gap="sm">
        <Text size="sm">{intro}</Text>
        {children}
      </Stack>
    </Tabs.Panel>
  );
}

function PulseScriptPanel({ target }: { target: TTrackingTarget }) {
  return (
    <SnippetPanel
      value="pulse"
      intro={
        <>
          Add this tag to every page, in <Code>&lt;head&gt;</Code>. The script comes from this server and records page views; nothing else needs installing.
        </>
      }
    >
      <CodeSnippet code={pulseScriptTag(target)} testId="tracking-snippet-pulse" />
      <Text size="sm">Options, as attributes on the same tag:</Text>
      <List size="sm" spacing={2}>
        {PULSE_SCRIPT.options.map((option) => (
          <List.Item key={option.attribute}>
            <Code>{option.example ? `${option.attribute}="${option.example}"` : option.attribute}</Code> {option.effect}
          </List.Item>
        ))}
      </List>
      <Text size="sm">Custom events, and leaving a browser out of the counts:</Text>
      <CodeSnippet code={pulseScriptCalls()} testId="tracking-snippet-pulse-calls" />
    </SnippetPanel>
  );
}
