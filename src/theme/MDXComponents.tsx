import MDXComponents from '@theme-original/MDXComponents';
import LiveWalkthrough from '@site/src/components/LiveWalkthrough';

/** Site-wide MDX components: light wrappers only; heavy parts load lazily behind them. */
export default {
  ...MDXComponents,
  LiveWalkthrough,
};
