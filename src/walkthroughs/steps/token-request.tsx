/** A step kind for a token request of any grant, with the fields a reader may change before sending it. */
import React, {type ReactNode} from 'react';
import type {CatalogClient} from '@site/src/contract/catalog';
import {readRefusal} from '../engine/errors';
import type {Arrow, Step, ViewContext} from '../engine/types';
import {TokenSummary} from './authorization';
import {
  withFetch,
  type AuthorizationServer,
  type Configured,
  type TokenEndpointResponse,
  type Transport,
} from './shared';
import styles from './styles.module.css';

/** One field of the form shown before the request: something the reader may change about it. */
export type Field<Name extends string> =
  | {name: Name; label: string; type: 'text' | 'password'; value: string; autoComplete?: string; hint?: ReactNode}
  | {
      name: Name;
      label: string;
      type: 'choice';
      value: string;
      options: Array<{value: string; label: ReactNode}>;
      hint?: ReactNode;
    };

/** Reads a submitted field by name; a field the form did not have reads as empty. */
export type Input<Name extends string> = (name: Name) => string;

interface TokenRequestOptions<Config, Name extends string> {
  /** The `grant_type` sent (RFC 6749 §4), shown in the diagram. */
  grantType: string;
  title: string;
  why: ReactNode;
  action: string;
  /** Messages before the request reaches the token endpoint, e.g. a login form posting to the app's backend. */
  leadIn?: Arrow[];
  /** What comes back, for the diagram. */
  returns: string;
  /** Fields shown before the step runs; their submitted values reach `request`, and a refusal of them can be retried. */
  form?: {legend: string; intro?: string; fields: (view: ViewContext<Configured<Config>>) => Array<Field<Name>>};
  /** The flow module's token request. */
  request: (as: AuthorizationServer, config: Config & Transport, input: Input<Name>) => Promise<TokenEndpointResponse>;
  /** A sentence after the summary, e.g. what this grant's response never has. */
  explain?: (tokens: TokenEndpointResponse) => string | false;
}

function FieldView<Name extends string>({field}: {field: Field<Name>}): ReactNode {
  const hint = field.hint && <span className={styles.valueWhy}>{field.hint}</span>;
  if (field.type === 'choice') {
    return (
      <fieldset className={styles.choice}>
        <legend>{field.label}</legend>
        {field.options.map((option) => (
          <label key={option.value} className={styles.option}>
            <input type="radio" name={field.name} value={option.value} defaultChecked={option.value === field.value} />{' '}
            {option.label}
          </label>
        ))}
        {hint}
      </fieldset>
    );
  }
  return (
    <label className={styles.field}>
      <span className={styles.fieldLabel}>{field.label}</span>
      <input
        className={styles.input}
        type={field.type}
        name={field.name}
        defaultValue={field.value}
        autoComplete={field.autoComplete ?? 'off'}
        spellCheck={false}
        required
      />
      {hint}
    </label>
  );
}

/**
 * Sends a token request for any grant with the flow module's own function (RFC 6749 §3.2), after
 * the reader has seen, and may change, what it sends. A refusal keeps its OAuth code, read from the
 * body when a Basic challenge hides it (RFC 6749 §5.2).
 */
export function tokenRequest<Config, Name extends string = never>(
  options: TokenRequestOptions<Config, Name>,
): Step<Configured<Config> & {as: AuthorizationServer}, {tokens: TokenEndpointResponse}> {
  const {form} = options;
  return {
    title: options.title,
    why: options.why,
    action: options.action,
    arrows: [
      ...(options.leadIn ?? []),
      {from: 'client', to: 'as', label: `POST /token ${options.grantType}`},
      {from: 'as', to: 'client', label: options.returns, reply: true},
    ],
    before: form
      ? (view) => (
          <fieldset className={styles.form}>
            <legend>{form.legend}</legend>
            {form.intro && <p className={styles.formIntro}>{form.intro}</p>}
            {form.fields(view).map((field) => (
              <FieldView key={field.name} field={field} />
            ))}
          </fieldset>
        )
      : undefined,
    run: async ({state, fetch, form: submitted}) => {
      const input: Input<Name> = (name) => {
        const value = submitted.get(name);
        return typeof value === 'string' ? value : '';
      };
      try {
        return {tokens: await options.request(state.as, withFetch(state.config, fetch), input)};
      } catch (error) {
        throw await readRefusal(error, {correctable: form !== undefined});
      }
    },
    render: ({tokens}) => {
      const note = options.explain?.(tokens);
      return (
        <>
          <TokenSummary tokens={tokens} />
          {note && <p>{note}</p>}
        </>
      );
    },
  };
}

/** How a confidential client authenticates at the token endpoint (RFC 6749 §2.3.1). */
export type SecretMethod = 'client_secret_basic' | 'client_secret_post';

/**
 * Fields for a confidential client's authentication: the method, preset to the one the client is
 * registered with (RFC 7591 §2 `token_endpoint_auth_method`), and its secret.
 */
export function clientAuthenticationFields(client: CatalogClient): Array<Field<'authMethod' | 'clientSecret'>> {
  return [
    {
      name: 'authMethod',
      label: 'How the client sends its secret',
      type: 'choice',
      value: client.token_endpoint_auth_method,
      options: [
        {
          value: 'client_secret_basic',
          label: (
            <>
              <code>client_secret_basic</code>: an HTTP Basic <code>Authorization</code> header
            </>
          ),
        },
        {
          value: 'client_secret_post',
          label: (
            <>
              <code>client_secret_post</code>: <code>client_id</code> and <code>client_secret</code> in the body
            </>
          ),
        },
      ],
      hint: (
        <>
          <code>{client.client_id}</code> is registered for <code>{client.token_endpoint_auth_method}</code>.
        </>
      ),
    },
    {name: 'clientSecret', label: 'Client secret', type: 'text', value: client.client_secret ?? ''},
  ];
}

/** The submitted client authentication, for a flow module's config. */
export function clientAuthenticationOf(input: Input<'authMethod' | 'clientSecret'>): {
  authMethod: SecretMethod;
  clientSecret: string;
} {
  return {
    authMethod: input('authMethod') === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
    clientSecret: input('clientSecret'),
  };
}
