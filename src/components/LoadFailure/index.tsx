import React, {type ReactNode} from 'react';

/**
 * What a lazily loaded part shows when its code did not arrive (a dropped connection, or a deploy that
 * replaced the file): what failed, why, and the way to try again.
 */
export default function LoadFailure({
  what,
  error,
  className,
}: {
  what: string;
  error: unknown;
  className?: string;
}): ReactNode {
  return (
    <div className={className} role="alert">
      <p>
        The {what} could not load ({error instanceof Error ? error.message : String(error)}).{' '}
        <a href={window.location.href}>Reload the page</a> to try again.
      </p>
    </div>
  );
}
