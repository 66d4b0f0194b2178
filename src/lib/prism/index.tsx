/**
 * Syntax highlighting for the site's code blocks, in place of prism-react-renderer (the site's build
 * resolves that package here, for Docusaurus' code block and its language loader alike).
 *
 * prism-react-renderer bundles Prism with some twenty languages and defines them all when the page's
 * main script starts; each definition walks every grammar defined before it, which made it the most
 * expensive module of every page's startup. Here Prism's core comes with the grammars of the flow
 * modules and JSON bodies (TypeScript, JavaScript, JSON); bash and HTTP are added by Docusaurus'
 * `additionalLanguages`. Prism's tokens are rendered with the same API Docusaurus expects.
 */
import './manual';
import Prism from 'prismjs/components/prism-core';
import 'prismjs/components/prism-clike';
import 'prismjs/components/prism-javascript';
import 'prismjs/components/prism-typescript';
import 'prismjs/components/prism-json';
import {useMemo, type CSSProperties, type ReactNode} from 'react';

export {Prism};

/** A run of text with the token types it is nested in, outermost first. */
export interface Token {
  types: string[];
  content: string;
  /** Set on the placeholder token of an empty line, so the line keeps its height. */
  empty?: boolean;
}

interface LineInputProps {
  line: Token[];
  className?: string;
  style?: CSSProperties;
  [attribute: string]: unknown;
}

interface TokenInputProps {
  token: Token;
  className?: string;
  style?: CSSProperties;
  [attribute: string]: unknown;
}

export interface RenderProps {
  tokens: Token[][];
  className: string;
  style: CSSProperties;
  getLineProps: (props: LineInputProps) => Record<string, unknown> & {className: string};
  getTokenProps: (props: TokenInputProps) => Record<string, unknown> & {className: string; children: string};
}

export interface HighlightProps {
  code: string;
  language: string;
  children: (props: RenderProps) => ReactNode;
  /** Accepted for compatibility; colours come from the site's stylesheet, never from a theme object. */
  theme?: unknown;
  prism?: typeof Prism;
}

function withType(types: string[], type: string | string[] | undefined): string[] {
  if (type === undefined) return types;
  const added = (Array.isArray(type) ? type : [type]).filter((name) => types[types.length - 1] !== name);
  return added.length === 0 ? types : [...types, ...added];
}

/** Marks an empty line (or a line holding only an empty string) so it still renders with a height. */
function closeLine(line: Token[]): void {
  if (line.length === 0) line.push({types: ['plain'], content: '\n', empty: true});
  else if (line.length === 1 && line[0].content === '') Object.assign(line[0], {content: '\n', empty: true});
}

/**
 * Prism's token tree as lines of flat tokens: nested tokens carry the types of the tokens around
 * them, and a token that spans line breaks is cut at each one.
 */
export function normalizeTokens(stream: Array<string | Prism.Token>): Token[][] {
  const lines: Token[][] = [[]];
  const visit = (items: Prism.TokenStream, types: string[], nested: boolean): void => {
    for (const item of typeof items === 'string' ? [items] : Array.isArray(items) ? items : [items]) {
      if (typeof item === 'string') {
        const pieces = item.split(/\r\n|\r|\n/);
        pieces.forEach((content, index) => {
          if (index > 0) {
            closeLine(lines[lines.length - 1]);
            lines.push([]);
          }
          lines[lines.length - 1].push({types: nested ? types : ['plain'], content});
        });
      } else {
        visit(item.content, withType(withType(types, item.type), item.alias), true);
      }
    }
  };
  visit(stream, [], false);
  closeLine(lines[lines.length - 1]);
  return lines;
}

const joinClasses = (...names: Array<string | undefined | false>) => names.filter(Boolean).join(' ');

function getLineProps({line: _line, className, style, ...rest}: LineInputProps) {
  return {...rest, className: joinClasses('token-line', className), ...(style ? {style} : {})};
}

function getTokenProps({token, className, style, ...rest}: TokenInputProps) {
  const own: CSSProperties | undefined = token.empty ? {display: 'inline-block'} : undefined;
  const merged = own || style ? {...own, ...style} : undefined;
  return {
    ...rest,
    className: joinClasses('token', ...token.types, className),
    children: token.content,
    ...(merged ? {style: merged} : {}),
  };
}

/** Highlights `code` and hands its lines of tokens to `children` to render (prism-react-renderer's API). */
export function Highlight({code, language: requested, children, prism = Prism}: HighlightProps): ReactNode {
  const language = requested.toLowerCase();
  const grammar = prism.languages[language] as Prism.Grammar | undefined;
  const tokens = useMemo(
    () => normalizeTokens(grammar ? prism.tokenize(code, grammar) : [code]),
    [code, grammar, prism],
  );
  return children({tokens, className: `prism-code language-${language}`, style: {}, getLineProps, getTokenProps});
}
