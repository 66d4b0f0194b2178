import React, {type ReactNode} from 'react';
import {resetSandbox} from '@site/src/lib/sandbox';
import SequenceDiagram from '../SequenceDiagram';
import Walkthrough from '../Walkthrough';
import {PKCE_LANES, PKCE_MESSAGES} from './diagram';
import {preparePkceEnvironment, type PkceEnvironment} from './environment';
import {pkceSteps} from './steps';

/** Where `npm run sandbox` serves the same sandbox, for copied curl commands. */
const NODE_SANDBOX_SITE = 'http://localhost:4000/';

function diagram(activeStep: string | undefined, completedSteps: readonly string[]): ReactNode {
  return (
    <SequenceDiagram
      title="Authorization Code flow with PKCE"
      lanes={PKCE_LANES}
      messages={PKCE_MESSAGES}
      activeStep={activeStep}
      completedSteps={completedSteps}
    />
  );
}

function curlTarget(env: PkceEnvironment) {
  return {from: env.siteUrl, to: NODE_SANDBOX_SITE};
}

/** The live Authorization Code flow with PKCE, run in this browser against the sandbox. */
export default function AuthorizationCodePkceWalkthrough(): ReactNode {
  return (
    <Walkthrough
      flowId="authorization-code-pkce"
      title="Live walkthrough: Authorization Code flow with PKCE"
      steps={pkceSteps}
      prepare={preparePkceEnvironment}
      resetServer={resetSandbox}
      diagram={diagram}
      curlTarget={curlTarget}
    />
  );
}
