import React, {useEffect, useState, type ReactNode} from 'react';
import {useLockBodyScroll, useNavbarMobileSidebar} from '@docusaurus/theme-common/internal';
import NavbarMobileSidebarLayout from '@theme/Navbar/MobileSidebar/Layout';
import NavbarMobileSidebarHeader from '@theme/Navbar/MobileSidebar/Header';
import NavbarMobileSidebarPrimaryMenu from '@theme/Navbar/MobileSidebar/PrimaryMenu';
import NavbarMobileSidebarSecondaryMenu from '@theme/Navbar/MobileSidebar/SecondaryMenu';

/** The longest wait for an idle moment after load before the menu is built anyway. */
const IDLE_TIMEOUT_MS = 3_000;

/**
 * True once the page has loaded and the browser is idle, or at once when `now` is true.
 */
function useAfterLoadIdle(now: boolean): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready) return undefined;
    if (now) {
      setReady(true);
      return undefined;
    }
    let cancel = (): void => undefined;
    const whenIdle = (): void => {
      if ('requestIdleCallback' in window) {
        const handle = window.requestIdleCallback(() => setReady(true), {timeout: IDLE_TIMEOUT_MS});
        cancel = () => window.cancelIdleCallback(handle);
      } else {
        const handle = globalThis.setTimeout(() => setReady(true), 0);
        cancel = () => globalThis.clearTimeout(handle);
      }
    };
    if (document.readyState === 'complete') whenIdle();
    else window.addEventListener('load', whenIdle, {once: true});
    return () => {
      window.removeEventListener('load', whenIdle);
      cancel();
    };
  }, [now, ready]);
  return ready;
}

/**
 * Docusaurus' mobile menu, built once the page is idle (or at once if the reader opens it first)
 * instead of right after hydration. On a small screen the original builds both of its panels, the
 * whole docs sidebar included, twice in the task that follows hydration; it is hidden until the
 * reader taps the menu button, so it has no business on the page's critical path.
 */
export default function NavbarMobileSidebar(): ReactNode {
  const mobileSidebar = useNavbarMobileSidebar();
  useLockBodyScroll(mobileSidebar.shown);
  const ready = useAfterLoadIdle(mobileSidebar.shown);
  if (!mobileSidebar.shouldRender || !ready) return null;
  return (
    <NavbarMobileSidebarLayout
      header={<NavbarMobileSidebarHeader />}
      primaryMenu={<NavbarMobileSidebarPrimaryMenu />}
      secondaryMenu={<NavbarMobileSidebarSecondaryMenu />}
    />
  );
}
