/** Prism's core alone (the `prismjs` package's main file also loads its default languages). */
declare module 'prismjs/components/prism-core' {
  import Prism from 'prismjs';
  export default Prism;
}
