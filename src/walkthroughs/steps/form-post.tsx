/**
 * Step kinds that attack a form_post app the way a stolen ID token would be used, to show the
 * checks that refuse it: `state` bound to the browser's sign-in (RFC 6749 §10.12) and `nonce`
 * bound into the ID token (OIDC Core §3.2.2.11, §15.5.2). The requests are the attack module's.
 */
import React from 'react';
import * as attack from '@site/src/flows/labs/form-post-attacker';
import type {BackChannelReport} from '@site/src/flows/web-app-support';
import type {Step} from '../engine/types';
import {labMove, Verdict} from './labs';
import type {AppUrl} from './web-app';

function RefusalView({refusal, label}: {refusal: attack.Refusal; label: string}) {
  return (
    <Verdict kind="refused" label={label}>
      <p>
        The app refused it with HTTP {refusal.status}: {refusal.message}
      </p>
    </Verdict>
  );
}

/** Posts the very response of the sign-in again: its `state` was used once, so the app refuses it. */
export function replayFormPost(app: {url: AppUrl}): Step<{report: BackChannelReport}, {replay: attack.Refusal}> {
  return labMove({
    title: 'Replay the posted ID token',
    why: "Anyone who copies the posted form (from a log, a proxy, the browser's history of form posts) could try to post it again to sign in. The app accepts a response only for a sign-in this browser started, and only once.",
    action: 'Post the same form again',
    arrows: [
      {from: 'browser', to: 'backend', label: 'POST /callback, same form again'},
      {from: 'backend', to: 'browser', label: '400 no sign-in pending', reply: true},
    ],
    act: async ({env, state, fetch}) => ({
      replay: await attack.replayPostedResponse(
        {appUrl: app.url(env), fetch},
        state.report.frontChannel?.response?.parameters,
      ),
    }),
    view: ({replay}) => <RefusalView refusal={replay} label="Replayed response" />,
  });
}

/**
 * Starts a fresh sign-in (single sign-on answers at once with a new form), then posts the old ID token
 * with the new `state`: the state now matches, but the ID token's `nonce` is the old sign-in's.
 */
export function injectIdToken(app: {url: AppUrl}): Step<{report: BackChannelReport}, {injection: attack.Refusal}> {
  return labMove({
    title: 'Inject the old ID token into a new sign-in',
    why: 'A cleverer attacker starts a real sign-in, so the state is right, and slips in an ID token stolen earlier. The nonce in that ID token belongs to another sign-in, and the app refuses it (OIDC Core §3.2.2.11).',
    action: 'Start a sign-in and swap the ID token',
    arrows: [
      {from: 'browser', to: 'backend', label: 'GET /login (a new nonce)'},
      {from: 'browser', to: 'as', label: 'GET /authorize (single sign-on)'},
      {from: 'as', to: 'browser', label: 'form with a new ID token', reply: true},
      {from: 'browser', to: 'backend', label: 'POST /callback, old ID token'},
      {from: 'backend', to: 'browser', label: '400 nonce mismatch', reply: true},
    ],
    act: async ({env, state, fetch}) => ({
      injection: await attack.injectOldIdToken(
        {appUrl: app.url(env), fetch},
        state.report.frontChannel?.response?.parameters,
      ),
    }),
    view: ({injection}) => <RefusalView refusal={injection} label="Injected ID token" />,
  });
}
