import {demoAppUrl} from '@site/src/contract/demo-apps';
import {defineWalkthrough} from '../engine/define';
import {appSession, showChannels, signInThroughApp, type AppUrl} from '../steps/web-app';
import {injectIdToken, replayFormPost} from '../steps/form-post';

/** Where the transports mount the app of src/flows/implicit-form-post.ts: beside the sandbox, under its issuer. */
const formPostApp: AppUrl = (env) => demoAppUrl(env.issuer, 'formPost');

/** An app that only needs to know who signed in gets an ID token, posted to its server. */
export default defineWalkthrough(() => ({}))
  .step(appSession({name: 'the sign-in app', url: formPostApp}))
  .step(
    signInThroughApp({
      name: 'the sign-in app',
      url: formPostApp,
      why: "The app asks for response_type=id_token with response_mode=form_post. After sign-in, the authorization server answers with a page whose form posts the ID token to the app's server, which validates it and starts a session.",
      arrows: [
        {from: 'browser', to: 'backend', label: 'GET /login'},
        {from: 'backend', to: 'browser', label: '303 to /authorize', reply: true},
        {from: 'browser', to: 'as', label: 'GET /authorize id_token'},
        {from: 'as', to: 'browser', label: 'sign-in and consent', reply: true},
        {from: 'as', to: 'browser', label: 'auto-submitting form', reply: true},
        {from: 'browser', to: 'backend', label: 'POST /callback id_token'},
        {from: 'backend', to: 'as', label: 'GET /jwks'},
        {from: 'backend', to: 'browser', label: '303 here, session cookie', reply: true},
      ],
    }),
  )
  .step(showChannels({inspectIdToken: true}))
  .step(replayFormPost({url: formPostApp}))
  .step(injectIdToken({url: formPostApp}))
  .build();
