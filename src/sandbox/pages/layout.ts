import {html, raw} from 'hono/html';
import type {HtmlEscapedString} from 'hono/utils/html';

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

// Contrast, light: body text #1b1f24 on #ffffff (16:1), primary button #ffffff on #1d4ed8 (6.7:1),
// muted text #4a5361 on #ffffff (7.6:1), error text #9b1c1c on #fdecec (7:1), links #1d4ed8 on #ffffff (6.7:1).
// Dark: body text #e6e9ef on #1c2128 (13:1), primary button #0d1117 on #8ab4f8 (9:1),
// muted text #aab3bf on #1c2128 (7.6:1), error text #ffb4ab on #3b1618 (9.4:1), links #8ab4f8 on #1c2128 (7.7:1);
// input borders #768390 on #1c2128 (4.2:1, 3:1 needed).
// The guide has its own light/dark toggle, but these pages are served by the sandbox, outside the
// site's React app: they cannot read the reader's choice there, only the operating system's
// preference (prefers-color-scheme).
const STYLES = raw(`
  :root { color-scheme: light dark; }
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #f3f5f8; }
  main { max-width: 28rem; margin: 2rem auto; padding: 1.5rem; background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; }
  @media (max-width: 30rem) { main { margin: 0; border-radius: 0; border-width: 0 0 1px; } }
  h1 { font-size: 1.4rem; line-height: 1.3; margin: 0 0 0.5rem; }
  h2 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
  p, ul, dl { margin: 0 0 1rem; }
  .muted { color: #4a5361; font-size: 0.9rem; }
  .badge { display: inline-block; font-size: 0.75rem; font-weight: 600; letter-spacing: 0.03em; text-transform: uppercase; color: #4a5361; border: 1px solid #8c959f; border-radius: 4px; padding: 0 0.4rem; }
  label { display: block; font-weight: 600; margin: 0.75rem 0 0.25rem; }
  input[type=text], input[type=password] { width: 100%; font: inherit; padding: 0.5rem; border: 1px solid #6e7781; border-radius: 6px; color: #1b1f24; background: #ffffff; }
  input:focus-visible, button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 1.25rem; }
  button { font: inherit; font-weight: 600; padding: 0.55rem 1.1rem; border-radius: 6px; cursor: pointer; border: 1px solid #1d4ed8; background: #1d4ed8; color: #ffffff; }
  button.secondary { background: #ffffff; color: #1b1f24; border-color: #6e7781; }
  .alert { color: #9b1c1c; background: #fdecec; border: 1px solid #e5a3a3; border-radius: 6px; padding: 0.5rem 0.75rem; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
  table { width: 100%; border-collapse: collapse; margin: 0 0 1rem; font-size: 0.95rem; }
  th, td { text-align: left; padding: 0.35rem 0.25rem; border-bottom: 1px solid #d0d7de; vertical-align: middle; }
  ul.scopes { padding-left: 1.25rem; }
  pre { margin: 0 0 1rem; padding: 0.75rem; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85rem; }
  a { color: #1d4ed8; }
  a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  nav.back { margin: 1.5rem 0 0; padding-top: 0.75rem; border-top: 1px solid #d0d7de; }
  nav.back ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
  @media (prefers-color-scheme: dark) {
    body { color: #e6e9ef; background: #0d1117; }
    main { background: #1c2128; border-color: #444c56; }
    .muted, .badge { color: #aab3bf; }
    .badge { border-color: #768390; }
    input[type=text], input[type=password] { color: #e6e9ef; background: #0d1117; border-color: #768390; }
    input:focus-visible, button:focus-visible, a:focus-visible { outline-color: #8ab4f8; }
    button { border-color: #8ab4f8; background: #8ab4f8; color: #0d1117; }
    button.secondary { background: #1c2128; color: #e6e9ef; border-color: #768390; }
    .alert { color: #ffb4ab; background: #3b1618; border-color: #8c3a3a; }
    th, td, nav.back { border-color: #444c56; }
    pre { background: #0d1117; border-color: #444c56; }
    a { color: #8ab4f8; }
  }
`);

/** A link back to the docs site, shown at the foot of a sandbox page. */
export interface BackLink {
  href: string;
  label: string;
}

/**
 * The shared HTML shell of every sandbox page: language, title, viewport, one main landmark, and
 * the links back to the guide, if any.
 *
 * `Referrer-Policy: same-origin`: a page's address (it names its interaction) goes to no other origin,
 * not even the client's redirect URI, while the login and consent forms tell the Service Worker they
 * come from the sandbox's own origin, its proof against cross-site forms (see worker.ts).
 */
export function layout(title: string, body: Content, script?: string, back: BackLink[] = []): Content {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <link rel="icon" href="data:," />
        <title>${title} · OAuth sandbox</title>
        <style>
          ${STYLES}
        </style>
      </head>
      <body>
        <main>
          <p><span class="badge">OAuth sandbox</span></p>
          ${body}
          ${
            back.length > 0
              ? html`<nav class="back" aria-label="Back to the guide">
                  <ul>
                    ${back.map((link) => html`<li><a href="${link.href}">${link.label}</a></li>`)}
                  </ul>
                </nav>`
              : ''
          }
        </main>
        ${
          script
            ? html`<script>
                ${raw(script)};
              </script>`
            : ''
        }
      </body>
    </html>`;
}
