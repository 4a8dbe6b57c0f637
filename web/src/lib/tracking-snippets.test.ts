import { describe, expect, it } from 'vitest';
import { curlSnippet, KEY_PLACEHOLDER, pulseScriptTag, segmentSnippet, trackingTargetOf } from './tracking-snippets.ts';

const location = { origin: 'http://localhost:3001', host: 'localhost:3001', protocol: 'http:' };

describe('tracking snippets', () => {
  it('fill in this origin and the chosen key', () => {
    const target = trackingTargetOf(location, ' pk_ingest_abc ');
    expect(pulseScriptTag(target)).toBe('<script defer src="http://localhost:3001/pulse.js" data-key="pk_ingest_abc"></script>');
    expect(segmentSnippet(target)).toContain("apiHost: 'localhost:3001/v1',\n        protocol: 'http',");
    expect(curlSnippet(target)).toContain('-u pk_ingest_abc:');
  });

  it('name a placeholder until a key is chosen', () => {
    const target = trackingTargetOf({ ...location, protocol: 'https:' }, '');
    expect(target).toMatchObject({ key: KEY_PLACEHOLDER, protocol: 'https' });
  });
});
