import { Box, Button, Code, CopyButton } from '@mantine/core';

interface CodeSnippetProps {
  code: string;
  testId?: string;
}

/** A block of code to paste elsewhere, with a copy button in its corner. */
export function CodeSnippet({ code, testId }: CodeSnippetProps) {
  return (
    <Box pos="relative">
      <Code block pr={88} data-testid={testId}>
        {code}
      </Code>
      <CopyButton value={code}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="light" color={copied ? 'teal' : undefined} onClick={copy} pos="absolute" top={8} right={8}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Box>
  );
}
