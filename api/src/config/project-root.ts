import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The folder holding the product's root package.json, found from this file whether it runs from source or build. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'mspr') return (cached = dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('project root (package.json named "mspr") not found');
    dir = parent;
  }
}
