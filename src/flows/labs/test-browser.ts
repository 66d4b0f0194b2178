/**
 * For the labs' tests: a browser's fetch over the in-process sandbox, as a page's fetch behaves. It keeps
 * the cookies, follows redirects, and answers with the final address in `url` and `redirected` set.
 */
import {createTestBrowser} from '../../sandbox/testing';

type Handler = (request: Request) => Response | Promise<Response>;

export function createFollowingBrowser(handler: Handler, issuer: string) {
  const browser = createTestBrowser(handler, issuer);
  const fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
    let response = await browser.request(url, init);
    let current = url;
    for (let hop = 0; hop < 10 && response.status >= 300 && response.status < 400; hop++) {
      const location = response.headers.get('location');
      if (!location) break;
      current = new URL(location, current).href;
      // A 303 (and a 302 after a POST) turns into a GET, as in a browser (RFC 9110 §15.4.4).
      response = await browser.request(current, {method: 'GET'});
    }
    const redirected = current !== url;
    Object.defineProperty(response, 'url', {value: current});
    Object.defineProperty(response, 'redirected', {value: redirected});
    return response;
  };
  return {...browser, fetch};
}
