import {demoAppUrl} from '@site/src/contract/demo-apps';
import {defineWalkthrough} from '../engine/define';
import {appSession, serverCallsApi, showChannels, signInThroughApp, type AppUrl} from '../steps/web-app';

/** Where the transports mount the web app of src/flows/authorization-code.ts: beside the sandbox, under its issuer. */
const webApp: AppUrl = (env) => demoAppUrl(env.issuer, 'webApp');

/** A server-side web app signs a user in; the tokens go to its server and never to the browser. */
export default defineWalkthrough(() => ({}))
  .step(appSession({name: 'the web app', url: webApp}))
  .step(
    signInThroughApp({
      name: 'the web app',
      url: webApp,
      why: "The app's server redirects the browser to the authorization server. After sign-in and consent, the browser brings a code to the app's callback; the server redeems it with its client secret, checks the ID token, keeps the tokens, and sends the browser back here.",
      arrows: [
        {from: 'browser', to: 'backend', label: 'GET /login'},
        {from: 'backend', to: 'browser', label: '303 to /authorize', reply: true},
        {from: 'browser', to: 'as', label: 'GET /authorize'},
        {from: 'as', to: 'browser', label: 'sign-in and consent', reply: true},
        {from: 'as', to: 'browser', label: '303 to /callback?code', reply: true},
        {from: 'browser', to: 'backend', label: 'GET /callback?code&state&iss'},
        {from: 'backend', to: 'as', label: 'POST /token code + secret'},
        {from: 'as', to: 'backend', label: 'access, ID, refresh tokens', reply: true},
        {from: 'backend', to: 'browser', label: '303 here, session cookie', reply: true},
      ],
    }),
  )
  .step(showChannels())
  .step(serverCallsApi({url: webApp, path: '/events'}))
  .build();
