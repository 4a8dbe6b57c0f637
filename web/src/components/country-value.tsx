import { Group, Text } from '@mantine/core';
import { countryLabel } from '../lib/countries.ts';

/** "🇩🇪 Germany DE"; a value that is no ISO code as it came. */
export function CountryValue({ value }: { value: string }) {
  const { code, name, flag } = countryLabel(value);
  return (
    <Group gap={6} wrap="nowrap">
      {flag ? <span aria-hidden>{flag}</span> : null}
      {name ? (
        <Text span size="sm">
          {name}
        </Text>
      ) : null}
      <Text span size="sm" c={name ? 'dimmed' : undefined}>
        {code}
      </Text>
    </Group>
  );
}
