import React, {memo, useMemo, type ReactNode} from 'react';
import type {Props} from '@theme/CodeBlock/Content';
import OriginalContent from '@theme-original/CodeBlock/Content';
import {
  CodeBlockContextProvider,
  useCodeBlockContext,
  type CodeBlockMetadata,
  type useCodeWordWrap,
} from '@docusaurus/theme-common/internal';

type WordWrap = ReturnType<typeof useCodeWordWrap>;

interface StableContentProps {
  className?: string;
  metadata: CodeBlockMetadata;
  codeBlockRef: WordWrap['codeBlockRef'];
}

/** Whether two blocks' metadata give the same lines: the only fields the lines are drawn from. */
function sameLines(before: CodeBlockMetadata, after: CodeBlockMetadata): boolean {
  return (
    before.code === after.code &&
    before.language === after.language &&
    before.lineNumbersStart === after.lineNumbersStart &&
    JSON.stringify(before.lineClassNames) === JSON.stringify(after.lineClassNames)
  );
}

/**
 * The highlighted lines, rendered again only when the code changes. Docusaurus' code block re-renders
 * as a whole when its word-wrap state changes, and that state changes on every block wider than the
 * screen as the page hydrates (it learns that the block scrolls): each line and token rendered twice,
 * in one task, on every page with code. The lines read only the block's `<pre>` ref from the word-wrap
 * state (the wrap toggle sets the `<code>` style directly), so they get that ref alone.
 */
const StableContent = memo(
  function StableContent({className, metadata, codeBlockRef}: StableContentProps): ReactNode {
    const wordWrap = useMemo<WordWrap>(
      () => ({codeBlockRef, isEnabled: false, isCodeScrollable: false, toggle: () => undefined}),
      [codeBlockRef],
    );
    return (
      <CodeBlockContextProvider metadata={metadata} wordWrap={wordWrap}>
        <OriginalContent className={className} />
      </CodeBlockContextProvider>
    );
  },
  (before, after) =>
    before.className === after.className &&
    before.codeBlockRef === after.codeBlockRef &&
    sameLines(before.metadata, after.metadata),
);

export default function CodeBlockContent({className}: Props): ReactNode {
  const {metadata, wordWrap} = useCodeBlockContext();
  return <StableContent className={className} metadata={metadata} codeBlockRef={wordWrap.codeBlockRef} />;
}
