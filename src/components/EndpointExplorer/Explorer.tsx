import React, {type ReactNode} from 'react';
import OperationForm from './OperationForm';
import ResultView from './ResultView';
import TargetChooser from './TargetChooser';
import {useExplorer} from './use-explorer';
import styles from './styles.module.css';
import {pageUrl} from './world';

/**
 * The endpoint explorer: pick any operation of the sandbox's OpenAPI description, fill in its
 * parameters (pre-filled from the catalog), send it to the in-browser or the Node sandbox, and read the
 * raw exchange with its tokens decoded and verified.
 */
export default function Explorer(): ReactNode {
  const {start, model, dispatch, world, operation, offered, fragment, root, chooseOperation, send, openAuthorization} =
    useExplorer();
  const {form, connection, loading, result, sending, notice} = model;

  if (loading.status === 'loading') {
    const provider = start.provider;
    return (
      <section ref={root} className={styles.explorer} aria-label="Endpoint explorer">
        <p role="status">
          Connecting to {connection.target === 'provider' && provider ? provider.issuer : 'the sandbox'}…
        </p>
      </section>
    );
  }

  return (
    <section ref={root} className={styles.explorer} aria-label="Endpoint explorer">
      <TargetChooser
        target={form.target}
        nodeIssuer={form.nodeIssuer}
        {...(world ? {world} : {})}
        {...(start.refused ? {refused: start.refused} : {})}
        onTarget={(target) => dispatch({type: 'target', target})}
        onNodeIssuer={(nodeIssuer) => dispatch({type: 'edit', patch: {nodeIssuer}})}
        onConnect={() => dispatch({type: 'connect'})}
      />

      {loading.status === 'failed' && (
        <div role="alert" className={styles.refusal}>
          <p>{loading.message}</p>
        </div>
      )}
      {notice && (
        <p role="status" className={styles.notice}>
          {notice}
        </p>
      )}

      {world && (
        <OperationForm
          world={world}
          form={form}
          {...(operation ? {operation} : {})}
          tokens={offered}
          sending={sending}
          {...(fragment ? {shareUrl: `${pageUrl()}${fragment}`} : {})}
          dispatch={dispatch}
          onChoose={chooseOperation}
          onSend={() => void send()}
          onOpen={openAuthorization}
        />
      )}

      {result && <ResultView result={result} target={form.target} nodeIssuer={form.nodeIssuer} />}
    </section>
  );
}
