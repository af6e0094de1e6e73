import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of a compiled module that must run as its own process or thread, next to the module asking for it.
 * From the build it is a sibling; from the TypeScript sources (the tests) it is the build's twin under `dist/`,
 * which `npm test` makes first.
 */
export function builtSibling(moduleUrl: string, name: string): string {
  const sibling = new URL(`./${name}`, moduleUrl);
  if (existsSync(sibling)) return fileURLToPath(sibling);
  const source = fileURLToPath(sibling);
  const at = source.lastIndexOf('/src/');
  return at < 0 ? source : `${source.slice(0, at)}/dist/${source.slice(at + 5)}`;
}
