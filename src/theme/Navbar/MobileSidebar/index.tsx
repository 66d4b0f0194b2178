import React, {useEffect, useState, type ReactNode} from 'react';
import {useLockBodyScroll, useNavbarMobileSidebar} from '@docusaurus/theme-common/internal';
import NavbarMobileSidebarLayout from '@theme/Navbar/MobileSidebar/Layout';
import NavbarMobileSidebarHeader from '@theme/Navbar/MobileSidebar/Header';
import NavbarMobileSidebarPrimaryMenu from '@theme/Navbar/MobileSidebar/PrimaryMenu';
import NavbarMobileSidebarSecondaryMenu from '@theme/Navbar/MobileSidebar/SecondaryMenu';
import {afterLoadIdle} from '@site/src/lib/after-load-idle';

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
    return afterLoadIdle(() => setReady(true));
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
