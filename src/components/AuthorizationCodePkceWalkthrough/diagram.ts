import type {Lane, Message} from '../SequenceDiagram';

export const PKCE_LANES: Lane[] = [
  {id: 'browser', label: 'User agent (browser)'},
  {id: 'spa', label: 'SPA (this page)'},
  {id: 'as', label: 'Authorization server'},
  {id: 'api', label: 'Calendar API'},
];

/** The messages of the flow, each tagged with the walkthrough step that sends it. */
export const PKCE_MESSAGES: Message[] = [
  {from: 'spa', to: 'spa', label: 'create code_verifier, code_challenge, state, nonce', step: 'secrets'},
  {from: 'spa', to: 'as', label: 'GET discovery metadata', step: 'authorization-url'},
  {from: 'as', to: 'spa', label: 'endpoints and capabilities', step: 'authorization-url', reply: true},
  {from: 'spa', to: 'browser', label: 'redirect to /authorize + code_challenge', step: 'sign-in'},
  {from: 'browser', to: 'as', label: 'GET /authorize', step: 'sign-in'},
  {from: 'as', to: 'browser', label: 'login and consent pages', step: 'sign-in', reply: true},
  {from: 'as', to: 'browser', label: '302 to redirect_uri ?code&state&iss', step: 'sign-in', reply: true},
  {from: 'browser', to: 'spa', label: 'load this page with code, state, iss', step: 'callback'},
  {from: 'spa', to: 'as', label: 'POST /token code + code_verifier', step: 'exchange'},
  {from: 'as', to: 'spa', label: 'access, ID and refresh tokens', step: 'exchange', reply: true},
  {from: 'spa', to: 'as', label: 'GET /jwks, verify the tokens', step: 'inspect'},
  {from: 'spa', to: 'api', label: 'GET /events, Bearer access token', step: 'api'},
  {from: 'api', to: 'spa', label: '200 events', step: 'api', reply: true},
  {from: 'spa', to: 'as', label: 'POST /token refresh_token', step: 'refresh'},
  {from: 'as', to: 'spa', label: 'new tokens, rotated refresh token', step: 'refresh', reply: true},
  {from: 'spa', to: 'as', label: 'POST /token old refresh_token', step: 'refresh'},
  {from: 'as', to: 'spa', label: '400 invalid_grant', step: 'refresh', reply: true},
];
