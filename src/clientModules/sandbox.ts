/**
 * Registers the sandbox Service Worker on every page of the site, so `/sandbox/...`
 * URLs (discovery, the catalog, the demo apps) answer on any page a reader opens
 * next. It waits until the page has loaded and the browser is idle, so fetching
 * and starting the worker never competes with the page's own loading and
 * hydration. Walkthroughs that need the sandbox sooner call `sandboxReady()`,
 * which registers at once; a reader coming back from the sandbox's sign-in page
 * already has the worker, which controls the page from its first request.
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';
import {registerSandboxWorker} from '@site/src/lib/sandbox';
import {afterLoadIdle} from '@site/src/lib/after-load-idle';

function register(): void {
  registerSandboxWorker().catch((error: unknown) => {
    // Without a worker the guide still reads fine; only the live runs are off,
    // and they report the reason themselves through sandboxReady().
    console.warn('The live sandbox is unavailable:', error);
  });
}

if (ExecutionEnvironment.canUseDOM && 'serviceWorker' in navigator) afterLoadIdle(register);
