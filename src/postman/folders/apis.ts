/** Client credentials and every operation of every demo API, each in its success and RFC 6750 §3.1 error cases. */
import type {ApiOperation, CatalogApi} from '../../contract/catalog';
import {findRow} from '../../sandbox/endpoints-description';
import type {Folder, RequestSpec, Scenario} from '../scenario';
import {bearerChallenge, jsonContent, oauthError, save, status, tokenResponse} from '../scripts';

export function apiFolders(scenario: Scenario): Folder[] {
  const {description, catalog, templated, relative, audience, operationAt, m2m, m2mBasic} = scenario;
  const folders: Folder[] = [];
  const folder = (name: string, text: string, requests: RequestSpec[]) =>
    folders.push({name, description: text, requests});

  const apiRequests: RequestSpec[] = [];
  const tokenFor = (api: CatalogApi, scopes: string[], variable: string, purpose: string): RequestSpec => ({
    name: `Client credentials: ${api.name}, ${scopes.join(' ')}`,
    description: `RFC 6749 §4.4 with client_secret_basic, for the audience \`${templated(api.identifier)}\` (RFC 8707 §2). ${purpose}`,
    operation: 'postToken',
    basic: m2mBasic,
    form: [
      ['grant_type', 'client_credentials'],
      ['resource', templated(api.identifier)],
      ['scope', scopes.join(' ')],
    ],
    status: 200,
    tests: [
      ...tokenResponse({
        scope: scopes.join(' '),
        refresh: false,
        idToken: false,
        aud: audience(api),
        sub: m2m.client_id,
        clientId: m2m.client_id,
      }),
      ...save(variable, 'tokens.access_token'),
    ],
  });
  // Every API's token first: an operation's requests also use another API's token (the wrong audience).
  for (const api of catalog.apis) {
    apiRequests.push(
      tokenFor(
        api,
        api.scopes.map((scope) => scope.value),
        `${api.id}_token`,
        'Every scope of the API: its operations below use it.',
      ),
    );
  }
  for (const api of catalog.apis) {
    const allScopes = api.scopes.map((scope) => scope.value);
    apiRequests.push({
      name: `${api.name}: its operations`,
      description: 'Public: what the API offers and the scope each operation needs.',
      operation: operationAt('GET', relative(api.base_url), 'catalog'),
      status: 200,
      tests: [
        ...status(200),
        ...jsonContent(),
        `pm.test('lists ${api.operations.length} operations', () => pm.expect(pm.response.json().operations).to.have.lengthOf(${api.operations.length}));`,
      ],
    });
    for (const operation of api.operations) apiRequests.push(...operationRequests(api, operation, allScopes));
  }
  function operationRequests(api: CatalogApi, operation: ApiOperation, allScopes: string[]): RequestSpec[] {
    const path = relative(operation.url);
    const row = findRow(description, operation.method, path);
    if (!row) throw new Error(`${operation.method} ${path} is in the catalog but not in the endpoints description`);
    const success = Number(Object.keys(row.responses).find((code) => code.startsWith('2')));
    const example = row.body?.mediaType === 'json' ? row.body.examples : undefined;
    const json = example ? Object.values(example)[0]?.value : undefined;
    const label = `${operation.method} ${path.slice(relative(api.base_url).length)}`;
    const base: Pick<RequestSpec, 'operation' | 'json'> = {operation: row.operationId, ...(json ? {json} : {})};
    const others = allScopes.filter((scope) => scope !== operation.scope);
    const requests: RequestSpec[] = [
      {
        ...base,
        name: `${api.name}: ${label}`,
        description: `${operation.description}, with a token carrying \`${operation.scope}\` (RFC 6750 §2.1).`,
        bearer: `{{${api.id}_token}}`,
        status: success,
        tests: [
          ...status(success),
          ...jsonContent(),
          `pm.test('the API saw the client as the caller (RFC 9068 §2.2)', () => {`,
          `  const caller = pm.response.json().caller;`,
          `  pm.expect(caller.client_id).to.eql(pm.variables.get('m2m_client_id'));`,
          `  pm.expect(caller.sub).to.eql(pm.variables.get('m2m_client_id'));`,
          `});`,
        ],
      },
      {
        ...base,
        name: `${api.name}: ${label} without a token`,
        description: 'No access token: 401 with a Bearer challenge and no error code (RFC 6750 §3.1).',
        status: 401,
        tests: [...status(401), ...jsonContent(), ...bearerChallenge()],
      },
    ];
    if (others.length > 0) {
      const variable = `${api.id}_without_${operation.scope.replace(/[^A-Za-z0-9]+/g, '_')}`;
      requests.push(
        tokenFor(
          api,
          others,
          variable,
          `A token without \`${operation.scope}\`, for the insufficient_scope case below.`,
        ),
        {
          ...base,
          name: `${api.name}: ${label} with a token lacking ${operation.scope}`,
          description: `The token lacks \`${operation.scope}\`: 403 insufficient_scope, and the challenge names the scope (RFC 6750 §3.1).`,
          bearer: `{{${variable}}}`,
          status: 403,
          tests: [
            ...status(403),
            ...jsonContent(),
            ...oauthError('insufficient_scope'),
            ...bearerChallenge('insufficient_scope', operation.scope),
          ],
        },
      );
    }
    const other = catalog.apis.find((candidate) => candidate.id !== api.id);
    if (other)
      requests.push({
        ...base,
        name: `${api.name}: ${label} with a token for ${other.name}`,
        description: `A token whose \`aud\` is another API: 401 invalid_token (RFC 6750 §3.1, RFC 9068 §4).`,
        bearer: `{{${other.id}_token}}`,
        status: 401,
        tests: [...status(401), ...jsonContent(), ...oauthError('invalid_token'), ...bearerChallenge('invalid_token')],
      });
    return requests;
  }
  folder(
    'Client credentials and the APIs',
    'A machine-to-machine token per API (RFC 6749 §4.4), then every operation of every API: with the scope it needs, without a token, with a token lacking the scope, and with a token for another API (RFC 6750 §3.1).',
    apiRequests,
  );
  return folders;
}
