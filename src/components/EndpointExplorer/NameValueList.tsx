import React, {useId, type ReactNode} from 'react';
import type {NameValue} from './request';
import styles from './styles.module.css';

interface Props {
  legend: string;
  items: NameValue[];
  onChange: (items: NameValue[]) => void;
  namePlaceholder: string;
}

/** Extra parameters or headers: name and value pairs the reader adds and removes. */
export default function NameValueList({legend, items, onChange, namePlaceholder}: Props): ReactNode {
  const id = useId();
  const update = (index: number, patch: Partial<NameValue>) =>
    onChange(items.map((item, at) => (at === index ? {...item, ...patch} : item)));
  const singular = legend.replace(/s$/, '');
  return (
    <fieldset className={styles.extras}>
      <legend>{legend}</legend>
      {items.map((item, index) => (
        <div key={index} className={styles.extraRow}>
          <label htmlFor={`${id}-name-${index}`} className={styles.extraLabel}>
            {singular} {index + 1} name
          </label>
          <input
            id={`${id}-name-${index}`}
            value={item.name}
            placeholder={namePlaceholder}
            onChange={(event) => update(index, {name: event.target.value})}
          />
          <label htmlFor={`${id}-value-${index}`} className={styles.extraLabel}>
            {singular} {index + 1} value
          </label>
          <input
            id={`${id}-value-${index}`}
            value={item.value}
            onChange={(event) => update(index, {value: event.target.value})}
          />
          <button
            type="button"
            className="button button--sm button--secondary"
            onClick={() => onChange(items.filter((_, at) => at !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button--sm button--secondary"
        onClick={() => onChange([...items, {name: '', value: ''}])}
      >
        Add {legend.toLowerCase().replace(/s$/, '')}
      </button>
    </fieldset>
  );
}
