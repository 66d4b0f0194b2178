import {useCallback, useMemo, useState} from 'react';
import {savedExchanges} from '../../walkthroughs/engine/saved-exchanges';
import {addTokens, latestToken, loadTokens, saveTokens, tokensFromExchanges, type HeldToken} from './tokens';
import type {World} from './world';

export type LatestToken = (
  kind: HeldToken['kind'],
  filter?: {audience?: string; scope?: string},
) => HeldToken | undefined;

export interface HeldTokens {
  /** The tokens to offer for the connected issuer: the explorer's own first, then those of this tab's walkthroughs. */
  offered: HeldToken[];
  /** The newest offered token of a kind, for the pre-fills. */
  latest: LatestToken;
  /** Keeps the tokens of a token response, in this tab's sessionStorage (see tokens.ts). */
  hold: (tokens: HeldToken[]) => void;
}

/** The tokens the explorer obtained, and those it offers to later requests to the same issuer. */
export function useHeldTokens(world: World | undefined): HeldTokens {
  const [held, setHeld] = useState<HeldToken[]>(() => loadTokens());
  const offered = useMemo(
    () =>
      world
        ? [
            ...held.filter((token) => token.issuer === world.issuer),
            ...tokensFromExchanges(savedExchanges(), world.issuer, world.tokenEndpoint),
          ]
        : [],
    [held, world],
  );
  const latest = useCallback<LatestToken>(
    (kind, filter = {}) => (world ? latestToken(offered, kind, {issuer: world.issuer, ...filter}) : undefined),
    [offered, world],
  );
  const hold = useCallback(
    (tokens: HeldToken[]) => {
      if (tokens.length === 0) return;
      const next = addTokens(held, tokens);
      setHeld(next);
      saveTokens(next);
    },
    [held],
  );
  return {offered, latest, hold};
}
