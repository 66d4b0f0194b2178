import type {Context, Handler} from 'hono';
import {findApi, findClient, findUserBySub, type CatalogClient} from '../catalog';
import {readFormParams, type Params} from '../checks/params';
import {checkPassword, retryIn} from '../checks/password-attempts';
import {rememberConsent} from '../consent';
import {epochSeconds, type Sandbox, type SandboxEnv, type TransportFacts} from '../context';
import {AccessDenied, asOAuthError, OAuthError} from '../errors';
import {endInteraction, findInteraction, interactionUrl, saveInteraction, type Interaction} from '../interaction';
import {consentPage} from '../pages/consent';
import {backLinks} from '../pages/back-links';
import {errorPage} from '../pages/error';
import {loginPage} from '../pages/login';
import {startSession} from '../session';
import {continueAuthorization} from './authorize';
import {respondWithError} from './authorization-response';

type Step = (
  sandbox: Sandbox,
  c: Context<SandboxEnv>,
  interaction: Interaction,
  client: CatalogClient,
) => Promise<Response>;

/** Loads the interaction named in the path, or answers with an error page when it expired or never existed. */
function withInteraction(sandbox: Sandbox, step: Step): Handler<SandboxEnv> {
  return async (c) => {
    const interaction = await findInteraction(sandbox, c.req.param('id') ?? '');
    const client = interaction && findClient(sandbox.catalog, interaction.request.clientId);
    if (!interaction || !client) {
      return c.html(
        errorPage({
          error: 'invalid_request',
          description: 'this sign-in step expired or does not exist; start again from the application',
          back: backLinks(sandbox.siteUrl),
        }),
        400,
      );
    }
    try {
      return await step(sandbox, c, interaction, client);
    } catch (thrown) {
      // Errors after the request was validated go back to the client (RFC 6749 §4.1.2.1), the server's
      // own failures too (server_error, temporarily_unavailable: storage full or interrupted).
      const error = asOAuthError(thrown);
      if (!(error instanceof OAuthError) || error.status === 405 || error.status === 413) throw thrown;
      // Storage that just failed may fail again: the interaction expires by itself if it cannot be ended.
      await endInteraction(sandbox, interaction.id).catch(() => undefined);
      return respondWithError(sandbox, c, interaction.request, error);
    }
  };
}

/**
 * Trust model (docs/concepts/trust-model.mdx): no other website may sign the reader in.
 * A POSTed form whose CSRF value matches the interaction's, or undefined. Whoever started the
 * interaction knows that value, so a post that did not come from the sandbox's own pages is refused too
 * (login CSRF: a leaked value must not let another site sign the reader in as someone else).
 */
async function checkedForm(
  sandbox: Sandbox,
  c: Context<SandboxEnv>,
  interaction: Interaction,
): Promise<Params | undefined> {
  const params = await sameOriginForm(sandbox, c);
  return params?.values.get('csrf') === interaction.csrf ? params : undefined;
}

/**
 * A POSTed form, or undefined when it did not come from a page of the sandbox's own origin (a page in a
 * frame of that origin included) or is no form at all.
 *
 * The Service Worker says whether the form came from a page of this origin (`sentFromSameOrigin`),
 * because it sees no Sec-Fetch-Site; when it says no, that is final. Otherwise (Node, in-process) the
 * browser's own headers decide: Sec-Fetch-Site, and `Origin` when it names one (curl sends neither).
 */
export async function sameOriginForm(sandbox: Sandbox, c: Context<SandboxEnv>): Promise<Params | undefined> {
  // A transport that passes no facts (the in-process one) leaves c.env undefined.
  if ((c.env as TransportFacts | undefined)?.sentFromSameOrigin === false) return undefined;
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== 'null' && origin !== new URL(sandbox.issuer).origin) return undefined;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return undefined;
  try {
    return await readFormParams(c);
  } catch (error) {
    // A body that is not a form (a cross-site text/plain post, say) is refused like a forged form: it must
    // not end the interaction and send an error to the client before the CSRF value was even compared.
    if (error instanceof OAuthError) return undefined;
    throw error;
  }
}

/** The links back to the guide for a page of this interaction: its redirect URI was validated when it began. */
const backFor = (sandbox: Sandbox, interaction: Interaction, client: CatalogClient) =>
  backLinks(sandbox.siteUrl, {client, redirectUri: interaction.request.redirectUri});

const csrfFailure = (sandbox: Sandbox, c: Context, interaction: Interaction, client: CatalogClient) =>
  c.html(
    errorPage({
      error: 'invalid_request',
      description: 'the form was not sent by this sign-in page; start again from the application',
      back: backFor(sandbox, interaction, client),
    }),
    400,
  );

function renderLogin(
  sandbox: Sandbox,
  c: Context,
  interaction: Interaction,
  client: CatalogClient,
  error?: string,
  username?: string,
) {
  return c.html(
    loginPage({
      action: interactionUrl(sandbox, interaction, 'login'),
      csrf: interaction.csrf,
      client,
      users: sandbox.catalog.users,
      back: backFor(sandbox, interaction, client),
      ...(error !== undefined ? {error} : {}),
      ...(username !== undefined ? {username} : {}),
    }),
    200,
    {'Cache-Control': 'no-store'},
  );
}

/** `GET /interaction/:id/login`: the login page. */
export function loginForm(sandbox: Sandbox): Handler {
  return withInteraction(sandbox, async (sandbox, c, interaction, client) =>
    renderLogin(sandbox, c, interaction, client),
  );
}

/** `POST /interaction/:id/login`: checks the credentials, starts the SSO session, moves on. */
export function loginSubmit(sandbox: Sandbox): Handler {
  return withInteraction(sandbox, async (sandbox, c, interaction, client) => {
    const form = await checkedForm(sandbox, c, interaction);
    if (!form) return csrfFailure(sandbox, c, interaction, client);
    if (form.values.get('action') === 'cancel') throw new AccessDenied('the user cancelled the sign-in');
    const username = form.values.get('username') ?? '';
    // RFC 6749 §10.10: the server MUST protect the endpoint against brute force attacks (checks/password-attempts.ts).
    const check = await checkPassword(sandbox, client.client_id, username, form.values.get('password'));
    if (check.outcome === 'locked') {
      return renderLogin(
        sandbox,
        c,
        interaction,
        client,
        `Too many wrong passwords. For your safety, sign-in is paused: try again ${retryIn(check.retryAfter)}.`,
        username,
      );
    }
    if (check.outcome === 'wrong')
      return renderLogin(sandbox, c, interaction, client, 'Wrong username or password.', username);
    const {user} = check;
    const authTime = epochSeconds(sandbox);
    await startSession(sandbox, c, {sub: user.sub, authTime});
    const next: Interaction = {...interaction, sub: user.sub, authTime};
    // prompt=login is satisfied by this login; don't send the user back to the login page.
    next.request = {...next.request, prompt: next.request.prompt.filter((value) => value !== 'login')};
    await saveInteraction(sandbox, next);
    return continueAuthorization(sandbox, c, next);
  });
}

/** `GET /interaction/:id/consent`: the consent page. */
export function consentForm(sandbox: Sandbox): Handler {
  return withInteraction(sandbox, async (sandbox, c, interaction, client) => {
    const user = interaction.sub ? findUserBySub(sandbox.catalog, interaction.sub) : undefined;
    if (!user) return c.redirect(interactionUrl(sandbox, interaction, 'login'), 303);
    const known = [...sandbox.catalog.oidc_scopes, ...sandbox.catalog.apis.flatMap((api) => api.scopes)];
    const scopes = interaction.request.scopes.map(
      (value) => known.find((scope) => scope.value === value) ?? {value, description: value},
    );
    const api = findApi(sandbox.catalog, interaction.request.aud);
    return c.html(
      consentPage({
        action: interactionUrl(sandbox, interaction, 'consent'),
        csrf: interaction.csrf,
        client,
        user,
        scopes,
        back: backFor(sandbox, interaction, client),
        ...(api ? {api} : {}),
      }),
      200,
      {'Cache-Control': 'no-store'},
    );
  });
}

/** `POST /interaction/:id/consent`: Allow remembers the consent and answers the client; Deny is access_denied. */
export function consentSubmit(sandbox: Sandbox): Handler {
  return withInteraction(sandbox, async (sandbox, c, interaction, client) => {
    const form = await checkedForm(sandbox, c, interaction);
    if (!form) return csrfFailure(sandbox, c, interaction, client);
    if (!interaction.sub) return c.redirect(interactionUrl(sandbox, interaction, 'login'), 303);
    // RFC 6749 §4.1.2.1: "The resource owner or authorization server denied the request."
    if (form.values.get('decision') !== 'allow') throw new AccessDenied('the user denied the request');
    const {request} = interaction;
    await rememberConsent(sandbox, interaction.sub, request.clientId, request.aud, request.scopes);
    const next: Interaction = {...interaction, consented: true};
    return continueAuthorization(sandbox, c, next);
  });
}
