/**
 * Prism highlights every `<code class="language-…">` of the page by itself once it loads, unless a
 * global `Prism` object asks for manual mode first. Here React renders the highlighted markup, so
 * Prism must never touch the DOM: this module runs before Prism's core is evaluated.
 */
const scope = globalThis as {Prism?: {manual?: boolean}};
scope.Prism = {...scope.Prism, manual: true};

export {};
