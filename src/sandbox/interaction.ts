import type {Sandbox} from './context';
import {randomToken} from './tokens';

export type ResponseType = 'code' | 'id_token' | 'id_token token';
export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** A validated authorization request, everything needed to answer the client later. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: ResponseType;
  responseMode: ResponseMode;
  scopes: string[];
  /** The access token's audience: an API identifier, or the userinfo endpoint. */
  aud: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompt: string[];
  maxAge?: number;
}

/** An authorization request in progress across the login and consent pages. */
export interface Interaction {
  id: string;
  /** Per-interaction value the login and consent forms must echo (CSRF protection). */
  csrf: string;
  request: AuthorizationRequest;
  /** Set once the user logged in during this interaction (or was already logged in). */
  sub?: string;
  authTime?: number;
  consented?: boolean;
}

/** Interactions expire after 10 minutes. */
const INTERACTION_TTL = 600;
const interactionKey = (id: string) => `interaction:${id}`;

export async function createInteraction(sandbox: Sandbox, request: AuthorizationRequest): Promise<Interaction> {
  const interaction: Interaction = {id: randomToken(16), csrf: randomToken(16), request};
  await saveInteraction(sandbox, interaction);
  return interaction;
}

export async function saveInteraction(sandbox: Sandbox, interaction: Interaction): Promise<void> {
  await sandbox.store.set(interactionKey(interaction.id), interaction, INTERACTION_TTL);
}

export async function findInteraction(sandbox: Sandbox, id: string): Promise<Interaction | undefined> {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? sandbox.store.get<Interaction>(interactionKey(id)) : undefined;
}

export async function endInteraction(sandbox: Sandbox, id: string): Promise<void> {
  await sandbox.store.delete(interactionKey(id));
}

export function interactionUrl(sandbox: Sandbox, interaction: Interaction, step: 'login' | 'consent'): string {
  return `${sandbox.issuer}/interaction/${interaction.id}/${step}`;
}
