/** sessionStorage keys of the explorer, in a module of their own so the lazy embed can read them without loading the explorer. */
export const PENDING_AUTHORIZATION_KEY = 'explorer:authorization';
export const TOKENS_KEY = 'explorer:tokens';
