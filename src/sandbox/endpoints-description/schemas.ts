/**
 * The description's shared schemas (`#/components/schemas`): errors, token requests and responses,
 * metadata, the catalog's shape. Requests and responses of the endpoint rows refer to them by name.
 */
import type {Schema} from '../../contract/openapi';
import {GRANT_TYPES} from '../grants/grant-types';
import {deviceAuthorizationResponse} from './device-authorization';
import {pushedAuthorizationResponse} from './pushed-authorization';
import {oidcCore, ref, rfc, string, tokenRequestName} from './parts';
import {tokenRequestSchemas} from './token-requests';
import type {DescriptionContext} from './types';

export function schemas(context: DescriptionContext): Record<string, Schema> {
  const {issuer} = context;
  // One request body per registered grant (RFC 6749 §4, §6), in the order the grants are registered.
  const tokenRequests = tokenRequestSchemas(context);
  return {
    OAuthError: {
      type: 'object',
      description: `An error response (${rfc(6749, '5.2')}). \`error_description\` is ASCII without \`"\` or \`\\\`.`,
      properties: {
        error: {type: 'string'},
        error_description: {type: 'string', pattern: '^[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*$'},
      },
      required: ['error_description'],
    },
    ...Object.fromEntries(GRANT_TYPES.map((grant) => [tokenRequestName(grant), tokenRequests[grant]])),
    TokenResponse: {
      type: 'object',
      description: `A successful token response (${rfc(6749, '5.1')}).`,
      required: ['access_token', 'token_type', 'expires_in'],
      properties: {
        access_token: string(`A JWT access token (${rfc(9068, '2')}).`),
        token_type: {
          type: 'string',
          enum: ['Bearer', 'DPoP'],
          description: `\`DPoP\` when the request carried a DPoP proof: the token is bound to its key (${rfc(9449, '5')}).`,
        },
        expires_in: {type: 'integer', minimum: 1},
        scope: string(`The granted scopes (${rfc(6749, '3.3')}).`),
        refresh_token: string(
          `With \`offline_access\` for clients allowed refresh tokens; never for client_credentials (${rfc(6749, '4.4.3')}).`,
        ),
        id_token: string(`When \`openid\` was granted (${oidcCore('3.1.3.3', 'TokenResponse')}).`),
      },
    },
    DeviceAuthorizationResponse: deviceAuthorizationResponse(),
    PushedAuthorizationResponse: pushedAuthorizationResponse(),
    IntrospectionResponse: {
      type: 'object',
      description: `${rfc(7662, '2.2')}.`,
      required: ['active'],
      properties: {
        active: {type: 'boolean'},
        scope: {type: 'string'},
        client_id: {type: 'string'},
        username: {type: 'string'},
        sub: {type: 'string'},
        token_type: {type: 'string', enum: ['Bearer', 'DPoP'], description: `For access tokens (${rfc(9449, '6.2')}).`},
        cnf: {
          type: 'object',
          description: `For a DPoP-bound access token, the thumbprint of its key (${rfc(9449, '6.2')}).`,
          required: ['jkt'],
          properties: {jkt: {type: 'string'}},
        },
        exp: {type: 'integer'},
        iat: {type: 'integer'},
        aud: {
          description: `The API's identifier; with the UserInfo endpoint beside it when the token came from an OpenID request (${oidcCore('5.3', 'UserInfo')}).`,
          oneOf: [{type: 'string'}, {type: 'array', items: {type: 'string'}, minItems: 2}],
        },
        iss: {type: 'string'},
        jti: {type: 'string'},
      },
    },
    UserInfo: {
      type: 'object',
      description: `${oidcCore('5.3.2', 'UserInfoResponse')}.`,
      required: ['sub'],
      properties: {
        sub: {type: 'string'},
        name: {type: 'string'},
        given_name: {type: 'string'},
        family_name: {type: 'string'},
        preferred_username: {type: 'string'},
        email: {type: 'string'},
        email_verified: {type: 'boolean'},
      },
    },
    ServerMetadata: {
      type: 'object',
      description: `${rfc(8414, '2')} and OpenID Connect Discovery §3.`,
      required: ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported'],
      properties: {
        issuer: {type: 'string', const: issuer},
        authorization_endpoint: {type: 'string', format: 'uri'},
        token_endpoint: {type: 'string', format: 'uri'},
        userinfo_endpoint: {type: 'string', format: 'uri'},
        jwks_uri: {type: 'string', format: 'uri'},
        revocation_endpoint: {type: 'string', format: 'uri'},
        introspection_endpoint: {type: 'string', format: 'uri'},
        device_authorization_endpoint: {
          type: 'string',
          format: 'uri',
          description: `The device authorization endpoint (${rfc(8628, '4')}).`,
        },
        pushed_authorization_request_endpoint: {
          type: 'string',
          format: 'uri',
          description: `Where clients push authorization requests (${rfc(9126, '5')}).`,
        },
        require_pushed_authorization_requests: {
          type: 'boolean',
          description: `\`false\`: only clients registered with it must push their requests (${rfc(9126, '5')}, ${rfc(9126, '6')}).`,
        },
        token_endpoint_auth_methods_supported: {type: 'array', items: {type: 'string'}},
        token_endpoint_auth_signing_alg_values_supported: {
          type: 'array',
          items: {type: 'string'},
          description: `The algorithms of private_key_jwt client assertions (${rfc(8414, '2')}, ${rfc(7523, '3')}).`,
        },
        scopes_supported: {type: 'array', items: {type: 'string'}},
        response_types_supported: {type: 'array', items: {type: 'string'}},
        grant_types_supported: {type: 'array', items: {type: 'string'}},
        code_challenge_methods_supported: {
          type: 'array',
          items: {type: 'string'},
          description: `\`["S256"]\`; the sandbox requires PKCE with every authorization code request (${rfc(9700, '2.1.1')}).`,
        },
        authorization_response_iss_parameter_supported: {type: 'boolean'},
        dpop_signing_alg_values_supported: {
          type: 'array',
          items: {type: 'string'},
          description: `The algorithms DPoP proofs may use (${rfc(9449, '5.1')}).`,
        },
      },
    },
    JwkSet: {
      type: 'object',
      required: ['keys'],
      properties: {
        keys: {
          type: 'array',
          items: {
            type: 'object',
            required: ['kty'],
            properties: {
              kty: {type: 'string'},
              kid: {type: 'string'},
              alg: {type: 'string'},
              use: {type: 'string'},
              n: {type: 'string'},
              e: {type: 'string'},
            },
          },
        },
      },
    },
    ScopeDescription: {
      type: 'object',
      required: ['value', 'description'],
      properties: {value: {type: 'string'}, description: {type: 'string'}},
    },
    ApiOperation: {
      type: 'object',
      required: ['method', 'url', 'scope', 'description'],
      properties: {
        method: {enum: ['GET', 'POST']},
        url: {type: 'string', format: 'uri'},
        scope: {type: 'string'},
        description: {type: 'string'},
        body: {type: 'object', additionalProperties: {type: 'string'}},
      },
    },
    CalendarEvent: {
      type: 'object',
      required: ['id', 'title', 'start'],
      properties: {id: {type: 'string'}, title: {type: 'string'}, start: {type: 'string', format: 'date-time'}},
    },
    Catalog: {
      type: 'object',
      required: ['issuer', 'clients', 'users', 'apis', 'oidc_scopes'],
      properties: {
        issuer: {type: 'string'},
        clients: {
          type: 'array',
          items: {
            type: 'object',
            required: ['client_id', 'type', 'grant_types', 'redirect_uris', 'token_endpoint_auth_method'],
            properties: {
              client_id: {type: 'string'},
              client_secret: string('Public on purpose: this is a sandbox.'),
              client_name: {type: 'string'},
              type: {enum: ['public', 'confidential']},
              grant_types: {type: 'array', items: {type: 'string'}},
              response_types: {type: 'array', items: {type: 'string'}},
              redirect_uris: {type: 'array', items: {type: 'string'}},
              token_endpoint_auth_method: {
                enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
              },
              require_pkce: {type: 'boolean'},
              require_pushed_authorization_requests: {
                type: 'boolean',
                description: 'RFC 9126 section 6: the client must push its authorization requests to /par.',
              },
              token_endpoint_auth_signing_alg: {type: 'string'},
              jwks: {
                type: 'object',
                description:
                  "RFC 7591 section 2: the client's public keys, for private_key_jwt (RFC 7523 section 2.2).",
              },
              private_jwk: {
                type: 'object',
                description:
                  'Public on purpose: this is a sandbox. The private half of the key in jwks, made for this sandbox ' +
                  'instance (and anew after a reset), so a walkthrough can sign client assertions.',
              },
            },
          },
        },
        users: {
          type: 'array',
          items: {
            type: 'object',
            required: ['sub', 'username', 'password'],
            properties: {
              sub: {type: 'string'},
              username: {type: 'string'},
              password: string('Public on purpose: the sign-in page shows it.'),
              name: {type: 'string'},
              email: {type: 'string'},
            },
          },
        },
        apis: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'identifier', 'base_url', 'scopes', 'operations'],
            properties: {
              id: {type: 'string'},
              name: {type: 'string'},
              identifier: {type: 'string'},
              base_url: {type: 'string'},
              scopes: {type: 'array', items: ref('ScopeDescription')},
              operations: {type: 'array', items: ref('ApiOperation')},
            },
          },
        },
        oidc_scopes: {type: 'array', items: ref('ScopeDescription')},
        lab_issuers: {
          type: 'array',
          description:
            "Authorization servers that exist only for a security lab (the mix-up lab's attacker), each with the lab it belongs to and the registrations it accepts.",
          items: {
            type: 'object',
            required: ['issuer', 'name', 'lab', 'clients'],
            properties: {
              issuer: {type: 'string'},
              name: {type: 'string'},
              lab: {type: 'string'},
              clients: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['client_id', 'redirect_uris'],
                  properties: {
                    client_id: {type: 'string'},
                    client_name: {type: 'string'},
                    redirect_uris: {type: 'array', items: {type: 'string'}},
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
