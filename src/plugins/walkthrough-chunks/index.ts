import type {LoadContext, Plugin} from '@docusaurus/types';

/**
 * Modules only a live walkthrough needs: the engine, step kinds, definitions, flow modules, their
 * views, oauth4webapi and jose. The registry and the lazy embed stay out: every page needs those.
 */
const WALKTHROUGH_MODULE =
  /[\\/](src[\\/](walkthroughs[\\/](engine|steps|definitions)|flows|components[\\/](Walkthrough|HttpExchange|TokenInspector|SequenceDiagram|EndpointExplorer))|node_modules[\\/](oauth4webapi|jose))[\\/]/;

interface ModuleLike {
  resource?: string;
  identifier?: () => string;
}

/**
 * A module of walkthrough code. A flow module imported as text (FlowSource's source-text loader) is
 * page content, not code: when two pages show the same file (a flow page and a security lab), it
 * must not pull the whole walkthrough chunk into both pages' first load.
 */
function isWalkthroughModule(module: ModuleLike): boolean {
  if (!WALKTHROUGH_MODULE.test(module.resource ?? '')) return false;
  const identifier = typeof module.identifier === 'function' ? module.identifier() : '';
  return !identifier.includes('source-text-loader');
}

interface CacheGroup {
  test?: unknown;
  [key: string]: unknown;
}

/**
 * Keeps walkthrough code in chunks of its own. Docusaurus moves any module that half the pages'
 * async chunks share into one `common` chunk that every page loads; with a walkthrough on most
 * pages, that put the walkthrough's code (about 21 KiB gzip) on pages that never run one. Here
 * `common` skips walkthrough modules, and one `walkthrough` chunk holds what walkthroughs share,
 * loaded with the first walkthrough a reader reaches.
 */
export default function walkthroughChunks(_context: LoadContext): Plugin {
  return {
    name: 'walkthrough-chunks',
    configureWebpack(config, isServer) {
      const splitChunks = config.optimization?.splitChunks;
      if (isServer || !splitChunks || !splitChunks.cacheGroups) return {};
      const groups = splitChunks.cacheGroups as Record<string, CacheGroup | false>;
      const common = groups.common;
      if (common) {
        common.test = (module: ModuleLike) => !isWalkthroughModule(module);
      }
      groups.walkthrough = {
        name: 'walkthrough',
        chunks: 'async',
        test: (module: ModuleLike) => isWalkthroughModule(module),
        minChunks: 2,
        priority: 45,
        reuseExistingChunk: true,
      };
      return {};
    },
  };
}
