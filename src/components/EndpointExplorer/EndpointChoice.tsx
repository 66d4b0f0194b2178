import React, {useId, type ReactNode} from 'react';
import {Markdown} from './fields';
import {GROUPS, grantsOf, variantOf, type ExplorerOperation} from './model';
import styles from './styles.module.css';

interface Props {
  operations: ExplorerOperation[];
  /** The chosen operation's id, and the operation once it is found. */
  chosen: string;
  operation?: ExplorerOperation;
  grant: string;
  onChoose: (id: string, grant?: string) => void;
}

/** The endpoint select, grouped, then the chosen operation's description and, for the token endpoint, its grant. */
export default function EndpointChoice({operations, chosen, operation, grant, onChoose}: Props): ReactNode {
  const id = useId();
  const grants = operation ? grantsOf(operation) : [];
  const variant = operation ? variantOf(operation, grant) : undefined;
  return (
    <>
      <div className={styles.field}>
        <label htmlFor={`${id}-operation`} className={styles.label}>
          Endpoint
        </label>
        <select id={`${id}-operation`} value={chosen} onChange={(event) => onChoose(event.target.value)}>
          {GROUPS.map((group) => (
            <optgroup key={group} label={group}>
              {operations
                .filter((candidate) => candidate.group === group)
                .map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.method} {candidate.path}: {candidate.summary}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </div>
      {operation && (
        <p className={styles.description}>
          <Markdown text={operation.description} />
        </p>
      )}
      {operation && grants.length > 0 && (
        <div className={styles.field}>
          <label htmlFor={`${id}-grant`} className={styles.label}>
            Grant type
          </label>
          <select id={`${id}-grant`} value={grant} onChange={(event) => onChoose(operation.id, event.target.value)}>
            {grants.map((candidate) => (
              <option key={candidate} value={candidate}>
                {candidate}
              </option>
            ))}
          </select>
          {variant && (
            <p className={styles.hint}>
              <Markdown text={variant.description} />
            </p>
          )}
        </div>
      )}
    </>
  );
}
