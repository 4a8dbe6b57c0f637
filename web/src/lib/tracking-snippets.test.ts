import { describe, expect, it } from 'vitest';
import { curlSnippet, KEY_PLACEHOLDER, pulseScriptTag, segmentSnippet, trackingTargetOf } from './tracking-snippets.ts';

const location = { origin: 'http://localhost:3001' };

describe('tracking snippets', () => {
  it('fill in this origin and the chosen key', () => {
    const target = trackingTargetOf(location, ' pk_ingest_abc ');
    expect(pulseScriptTag(target)).toBe('<script defer src="http://localhost:3001/pulse.js" data-key="pk_ingest_abc"></script>');
    expect(segmentSnippet(target)).toContain("AnalyticsBrowser.load({ writeKey: 'pk_ingest_abc', cdnURL: 'http://localhost:3001' })");
    expect(curlSnippet(target)).toContain('-u pk_ingest_abc:');
  });

  it('name a placeholder until a key is chosen', () => {
    expect(trackingTargetOf(location, '')).toEqual({ origin: 'http://localhost:3001', key: KEY_PLACEHOLDER });
  });
});
