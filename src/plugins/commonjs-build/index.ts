import type {LoadContext, Plugin} from '@docusaurus/types';
import type {Compiler} from 'webpack';

const PLUGIN_NAME = 'commonjs-build';

/**
 * Lets Docusaurus build inside a package that declares `"type": "module"`.
 *
 * Docusaurus writes its generated modules (`.docusaurus/*.js`) and its server
 * bundle (`build/__server/*.js`) as `.js` files that are not strict ES modules,
 * and the package type would make both the bundler and Node read them as such:
 * - the bundler leaves the route registry's `require.resolveWeak()` calls
 *   unrewritten, so the server bundle fails with "require.resolveWeak is not a
 *   function": the generated files are parsed as "javascript/auto" instead;
 * - Node refuses the server bundle's chunks ("exports is not defined in ES
 *   module scope") during static generation: a `{"type": "commonjs"}` manifest
 *   is emitted next to them (the directory is deleted after the build).
 */
export default function commonjsBuildPlugin(context: LoadContext): Plugin<void> {
  return {
    name: PLUGIN_NAME,
    configureWebpack(_config, isServer) {
      return {
        module: {
          rules: [{test: /\.js$/, include: [context.generatedFilesDir], type: 'javascript/auto'}],
        },
        plugins: isServer ? [emitCommonjsManifest] : [],
      };
    },
  };
}

/** A bundler plugin (webpack and Rspack share this API) that adds `package.json` to the server output. */
const emitCommonjsManifest = {
  apply(compiler: Compiler): void {
    const {RawSource} = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap(PLUGIN_NAME, (compilation) => {
      compilation.hooks.processAssets.tap(
        {name: PLUGIN_NAME, stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL},
        () => compilation.emitAsset('package.json', new RawSource('{"type": "commonjs"}\n')),
      );
    });
  },
};
