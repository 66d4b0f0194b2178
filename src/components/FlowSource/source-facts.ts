/** Facts about a shown source file that the page states next to it. */

/** Whether a shown file is part of the sandbox's server (read where it enforces a rule; not copied alone). */
export function isSandboxFile(path: string): boolean {
  return path.startsWith('src/sandbox/');
}

/** The npm packages a module imports, by package name (`hono/cookie` is `hono`), in order of first use. */
export function importedPackages(source: string): string[] {
  const names = [...source.matchAll(/(?:from|import)\s+'([^'.][^']*)'/g)].map(([, specifier]) => {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  });
  return [...new Set(names.filter((name) => !name.startsWith('node:')))];
}
