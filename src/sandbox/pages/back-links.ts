import type {CatalogClient} from '../catalog';
import type {BackLink} from './layout';

/**
 * The links a sandbox page offers back to the guide: always the guide itself and, when the request
 * came from one of the guide's pages, that page.
 *
 * The walkthroughs of the `spa` and `native-app` clients use the guide page that runs them as their
 * redirect URI, so the redirect URI of this request names the page that started the flow. Only a
 * redirect URI the client has registered, compared exactly, is ever linked (RFC 9700 §4.1): an
 * unvalidated `redirect_uri` from the query string is attacker-controlled.
 */
export function backLinks(siteUrl: string, started?: {client: CatalogClient; redirectUri: string}): BackLink[] {
  const links: BackLink[] = [{href: siteUrl, label: 'Back to the guide'}];
  if (
    started &&
    isGuidePage(siteUrl, started.redirectUri) &&
    started.client.redirect_uris.includes(started.redirectUri)
  ) {
    links.push({href: started.redirectUri, label: 'Back to the page that started this flow'});
  }
  return links;
}

function isGuidePage(siteUrl: string, uri: string): boolean {
  return uri.startsWith(siteUrl) && uri !== siteUrl;
}
