import React, {useId, type ReactNode} from 'react';
import {inlineMarkdown, type Field} from './model';
import {describeToken, type HeldToken} from './tokens';
import styles from './styles.module.css';

/** A description from the OpenAPI document, its `code` and RFC links rendered. */
export function Markdown({text}: {text: string}): ReactNode {
  return (
    <>
      {inlineMarkdown(text).map((segment, index) =>
        'link' in segment ? (
          <a key={index} href={segment.href} target="_blank" rel="noreferrer">
            {segment.link}
          </a>
        ) : 'code' in segment ? (
          <code key={index}>{segment.code}</code>
        ) : (
          <React.Fragment key={index}>{segment.text}</React.Fragment>
        ),
      )}
    </>
  );
}

/** A select of the tokens this page obtained; choosing one hands it to `onChoose`. */
export function TokenChoice({
  label,
  tokens,
  onChoose,
}: {
  label: string;
  tokens: HeldToken[];
  onChoose: (token: HeldToken) => void;
}): ReactNode {
  const id = useId();
  if (tokens.length === 0) return null;
  return (
    <div className={styles.tokenChoice}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value=""
        onChange={(event) => {
          const token = tokens.find((candidate) => candidate.value === event.target.value);
          if (token) onChoose(token);
        }}
      >
        <option value="">Choose a token…</option>
        {tokens.map((token) => (
          <option key={token.value} value={token.value}>
            {describeToken(token)}
          </option>
        ))}
      </select>
    </div>
  );
}

const WHERE: Record<Field['in'], string> = {path: 'path', query: 'query', header: 'header', body: 'form body'};

/** One parameter: its input, whether it is required, where it goes, and its meaning with the RFC section. */
export function FieldRow({
  field,
  value,
  onChange,
  tokens,
  onToken,
}: {
  field: Field;
  value: string;
  onChange: (value: string) => void;
  tokens?: HeldToken[];
  onToken: (token: HeldToken) => void;
}): ReactNode {
  const id = useId();
  const hint = `${id}-hint`;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        <code>{field.name}</code>
      </label>
      {field.options ? (
        <select
          id={id}
          value={value}
          aria-required={field.required}
          aria-describedby={hint}
          onChange={(event) => onChange(event.target.value)}
        >
          {(!field.required || !field.options.includes(value)) && <option value="">(not sent)</option>}
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          value={value}
          aria-required={field.required}
          aria-describedby={hint}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      <p id={hint} className={styles.hint}>
        {field.required ? 'Required' : 'Optional'}, in the {WHERE[field.in]}
        {field.secret ? ', never put in the link' : ''}. <Markdown text={field.description} />
      </p>
      {tokens && (
        <TokenChoice label={`Use a token obtained here as ${field.name}`} tokens={tokens} onChoose={onToken} />
      )}
    </div>
  );
}
