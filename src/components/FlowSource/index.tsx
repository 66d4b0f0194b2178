import React, {type ReactNode} from 'react';
import CodeBlock from '@theme/CodeBlock';

export interface FlowSourceProps {
  /** The file's text, imported at build time through source-text-loader. */
  source: string;
  /** Path of the file in the repository, shown as the code block's title. */
  path: string;
}

/** A flow module's source, exactly as the walkthrough on the same page runs it, with a copy button. */
export default function FlowSource({source, path}: FlowSourceProps): ReactNode {
  return (
    <CodeBlock language="ts" title={path} showLineNumbers>
      {source.trimEnd()}
    </CodeBlock>
  );
}
