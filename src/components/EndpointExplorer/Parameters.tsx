import React, {useId, type ReactNode} from 'react';
import {FieldRow} from './fields';
import type {ExplorerOperation, Field} from './model';
import type {ExplorerState} from './request';
import {tokensForField, type HeldToken} from './tokens';
import styles from './styles.module.css';

interface Props {
  operation: ExplorerOperation;
  fields: Field[];
  form: ExplorerState;
  /** The tokens to offer for the parameters that take one. */
  tokens: HeldToken[];
  onValue: (name: string, value: string) => void;
  onToken: (name: string, token: HeldToken) => void;
  onJsonBody: (jsonBody: string) => void;
}

/** The operation's parameters, each with its meaning, and the body of a JSON operation. */
export default function Parameters({operation, fields, form, tokens, onValue, onToken, onJsonBody}: Props): ReactNode {
  const id = useId();
  return (
    <>
      {fields.length > 0 && (
        <fieldset className={styles.group}>
          <legend>Parameters</legend>
          {fields.map((field) => (
            <FieldRow
              key={`${operation.id}-${form.grant}-${field.in}-${field.name}`}
              field={field}
              value={form.values[field.name] ?? ''}
              onChange={(value) => onValue(field.name, value)}
              tokens={tokensForField(field.name, tokens)}
              onToken={(token) => onToken(field.name, token)}
            />
          ))}
        </fieldset>
      )}
      {operation.body?.type === 'json' && (
        <div className={styles.field}>
          <label htmlFor={`${id}-json`} className={styles.label}>
            JSON body
          </label>
          <textarea
            id={`${id}-json`}
            rows={5}
            value={form.jsonBody}
            spellCheck={false}
            onChange={(event) => onJsonBody(event.target.value)}
          />
        </div>
      )}
    </>
  );
}
