/**
 * Registers the sandbox Service Worker on every page of the site, once the page
 * has loaded so it never competes with the page's own resources. Walkthroughs
 * that need the sandbox sooner call `sandboxReady()`, which registers at once.
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';
import {registerSandboxWorker} from '@site/src/lib/sandbox';

function register(): void {
  registerSandboxWorker().catch((error: unknown) => {
    // Without a worker the guide still reads fine; only the live runs are off,
    // and they report the reason themselves through sandboxReady().
    console.warn('The live sandbox is unavailable:', error);
  });
}

if (ExecutionEnvironment.canUseDOM && 'serviceWorker' in navigator) {
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, {once: true});
}
