/**
 * Builds the browser's default string collator in a task of its own, before the page hydrates.
 *
 * Docusaurus' theme compares a few object keys with `String#localeCompare` while it renders (every
 * code block, and the docs sidebar of the mobile menu). The first such call in a page builds the ICU
 * collator: some 12 ms on a desktop CPU, four times that on a phone's, and it lands in whichever React
 * task first needs it. On a page without code blocks that is the task right after hydration, which it
 * turns into the page's longest. Here it runs alone, as soon as the main script has run; every later
 * call reuses the collator, which the JavaScript engine keeps.
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';

if (ExecutionEnvironment.canUseDOM) {
  window.setTimeout(() => 'a'.localeCompare('b'), 0);
}
