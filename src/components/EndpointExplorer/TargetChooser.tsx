import React, {useId, type ReactNode} from 'react';
import ProviderPanel from './ProviderPanel';
import type {Target} from './request';
import styles from './styles.module.css';
import type {World} from './world';

interface Props {
  target: Target;
  nodeIssuer: string;
  world?: World;
  /** Why the provider settings in the page's query cannot be used. */
  refused?: string;
  onTarget: (target: Target) => void;
  onNodeIssuer: (nodeIssuer: string) => void;
  onConnect: () => void;
}

/** Where requests go: the sandbox in this browser, the Node sandbox, or the reader's own provider. */
export default function TargetChooser(props: Props): ReactNode {
  const {target, nodeIssuer, world, refused, onTarget, onNodeIssuer, onConnect} = props;
  const id = useId();
  return (
    <fieldset className={styles.target}>
      <legend>Send requests to</legend>
      <label>
        <input type="radio" name={`${id}-target`} checked={target === 'browser'} onChange={() => onTarget('browser')} />{' '}
        The sandbox in this browser
      </label>
      <label>
        <input type="radio" name={`${id}-target`} checked={target === 'node'} onChange={() => onTarget('node')} /> The
        Node sandbox on this machine (<code>npm run sandbox</code>)
      </label>
      <label>
        {/* With settings in the address, choosing it connects to the provider; without, the form asks for them. */}
        <input
          type="radio"
          name={`${id}-target`}
          checked={target === 'provider'}
          onChange={() => onTarget('provider')}
        />{' '}
        Your own provider
      </label>
      {target === 'provider' && (
        <ProviderPanel {...(refused ? {refused} : {})} connected={world?.provider !== undefined} />
      )}
      {target === 'node' && (
        <div className={styles.nodeIssuer}>
          <label htmlFor={`${id}-node`}>Node sandbox issuer</label>
          <input
            id={`${id}-node`}
            type="url"
            value={nodeIssuer}
            onChange={(event) => onNodeIssuer(event.target.value)}
          />
          <button type="button" className="button button--sm button--primary" onClick={onConnect}>
            Connect
          </button>
        </div>
      )}
      {world && (
        <p className={styles.connected}>
          Connected to <code>{world.issuer}</code>.
        </p>
      )}
    </fieldset>
  );
}
