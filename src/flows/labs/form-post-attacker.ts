/**
 * Two attacks on the form_post app of `../implicit-form-post.ts`, made to show the checks that refuse
 * them: a response posted a second time, refused because its `state` belonged to a sign-in this browser
 * already finished (RFC 6749 §10.12); and an old ID token slipped into a new sign-in, refused because
 * its `nonce` is another sign-in's (OIDC Core §3.2.2.11, §15.5.2). The browser that attacks is `fetch`.
 */
import {alertText, fieldOf, open, submit, withField, type BrowserConfig, type PostedForm} from './browser-actions';

export interface FormPostAttackConfig extends BrowserConfig {
  /** Where the app is served: its redirect URI is `${appUrl}/callback`. */
  appUrl: string;
}

/** The app's refusal: the status and the reason its error page gives. */
export interface Refusal {
  status: number;
  message: string;
}

/** Posts a response to the app's callback and expects a refusal; an accepted post is a failure of the demonstration. */
async function postExpectingRefusal(config: FormPostAttackConfig, fields: Array<[string, string]>): Promise<Refusal> {
  const answer = await submit(config, {action: `${config.appUrl}/callback`, fields});
  if ((answer.status >= 200 && answer.status < 300) || answer.redirected)
    throw new Error('The app accepted the posted response: it should have refused it.');
  return {status: answer.status, message: alertText(answer.html)};
}

/** The fields of a posted response, when they carry an ID token. */
function postedResponse(posted: Array<[string, string]> | undefined): PostedForm['fields'] {
  if (!posted?.some(([name]) => name === 'id_token'))
    throw new Error('No posted ID token to replay: run the sign-in first.');
  return posted;
}

/** Posts the very response of a finished sign-in again, as anyone who copied the form could. */
export async function replayPostedResponse(
  config: FormPostAttackConfig,
  posted: Array<[string, string]> | undefined,
): Promise<Refusal> {
  return postExpectingRefusal(config, postedResponse(posted));
}

/**
 * Starts a fresh sign-in at the app (single sign-on answers at once with a new form post), then posts
 * that form with the old ID token in place of the new one: the state now matches, the nonce does not.
 */
export async function injectOldIdToken(
  config: FormPostAttackConfig,
  posted: Array<[string, string]> | undefined,
): Promise<Refusal> {
  const stolen = fieldOf({action: '', fields: postedResponse(posted)}, 'id_token')!;
  const page = await open(config, `${config.appUrl}/login`);
  if (!page.form || fieldOf(page.form, 'state') === undefined) {
    throw new Error(
      'The authorization server did not answer with a form at once (no single sign-on session?): run the sign-in step again first.',
    );
  }
  return postExpectingRefusal(config, withField(page.form, 'id_token', stolen).fields);
}
