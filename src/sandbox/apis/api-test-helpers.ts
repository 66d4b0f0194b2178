/** What the API tests share: a client_credentials token for an API, and the header that presents it. */
import * as oauth from 'oauth4webapi';
import {clientAuthFor, type TestSandbox} from '../test-fixture';

export async function m2mToken(sandbox: TestSandbox, audience: string, scope: string): Promise<string> {
  const m2m = sandbox.client('m2m-cron');
  const response = await oauth.clientCredentialsGrantRequest(
    sandbox.as,
    {client_id: m2m.client_id},
    clientAuthFor(m2m),
    {audience, scope},
    sandbox.options,
  );
  return (await oauth.processClientCredentialsResponse(sandbox.as, {client_id: m2m.client_id}, response)).access_token;
}

export const bearer = (token: string) => ({authorization: `Bearer ${token}`});
