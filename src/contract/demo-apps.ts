/**
 * Where every transport mounts the demo web apps (the relying parties of the server-side flows and of the
 * ID token replay lab): beside the sandbox, under its issuer, because a Service Worker answers only there.
 * The catalog registers their callbacks, the sandbox mounts them and the walkthroughs visit them from here.
 */
export const DEMO_APP_PATHS = {
  /** The web app of src/flows/authorization-code.ts. */
  webApp: '/webapp',
  /** The app server of src/flows/implicit-form-post.ts. */
  formPost: '/webapp/form-post',
  /** The ID token replay lab's app (src/flows/labs/id-token-replay.ts). */
  idTokenReplayLab: '/webapp/lab/id-token-replay',
} as const;

export type DemoApp = keyof typeof DEMO_APP_PATHS;

/** A demo app's URL for a sandbox issuer. */
export function demoAppUrl(issuer: string, app: DemoApp): string {
  return `${issuer}${DEMO_APP_PATHS[app]}`;
}

/** The redirect URI a demo app registers: its `/callback`. */
export function demoAppCallback(issuer: string, app: DemoApp): string {
  return `${demoAppUrl(issuer, app)}/callback`;
}
