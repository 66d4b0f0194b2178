import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';

const sidebars = {
  guide: [
    'index',
    'concepts/terminology',
    {
      type: 'category',
      label: 'Flows',
      collapsed: false,
      items: [
        'flows/client-credentials',
        'flows/authorization-code',
        'flows/resource-owner-password',
        'flows/authorization-code-pkce',
        'flows/authorization-code-pkce-requests',
        'flows/implicit-form-post',
        'flows/native-apps',
        'flows/device-authorization',
      ],
    },
    {
      type: 'category',
      label: 'Going further',
      collapsed: false,
      items: [
        'concepts/multiple-audiences',
        'concepts/refresh-tokens',
        'concepts/try-the-endpoints',
        'concepts/trust-model',
      ],
    },
    {
      type: 'category',
      label: 'Security',
      collapsed: false,
      items: [
        'security/index',
        'security/code-interception',
        'security/login-csrf',
        'security/mix-up',
        'security/id-token-replay',
        'security/refresh-token-theft',
        'security/loose-redirect-uri',
        'security/tokens-in-url',
        'security/device-code-phishing',
      ],
    },
  ],
} satisfies SidebarsConfig;

export default sidebars;
