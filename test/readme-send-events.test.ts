import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { curlSnippet, nodeSdkSnippet, pulseScriptCalls, pulseScriptTag, rudderStackSnippet, segmentSnippet } from '../web/src/lib/tracking-snippets.ts';

// The README's "Send events" snippets are the Tracking page's, which the browser tests run as written
// (web/e2e/segment-sdk, rudderstack-sdk and pulse-tracker) and the SDK tests send with (sdk-compatibility).
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Send events'), readme.indexOf('\n## ', readme.indexOf('## Send events') + 1));
const codeBlocks = [...section.matchAll(/```\w*\n([\s\S]*?)\n```/g)].map((match) => match[1]);
const example = { origin: 'https://pulse.example.com', key: 'YOUR_INGEST_KEY' };

describe('README: Send events', () => {
  it.each([
    ["Pulse's script tag", pulseScriptTag(example)],
    ["Pulse's script calls", pulseScriptCalls()],
    ["Segment's browser SDK", segmentSnippet(example)],
    ["RudderStack's browser SDK", rudderStackSnippet(example)],
    ['the server SDKs', nodeSdkSnippet(example)],
    ['curl', curlSnippet(example)],
  ])('shows the snippet for %s as the Tracking page does', (_label, snippet) => {
    expect(codeBlocks).toContain(snippet);
  });

  it("gives the script's gzipped size as built", () => {
    const script = readFileSync(new URL('../web/dist/pulse.js', import.meta.url));
    const kilobytes = (gzipSync(script, { level: 9 }).length / 1024).toFixed(1);
    expect(section).toContain(`The script weighs ${kilobytes} KB gzipped`);
  });
});
