// Build step after tsc: copies the files the compiled code reads at run time (the default
// reference pack and the rules' pages) from src/ to dist/, keeping their relative paths.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const assets = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return assets(path);
    return path === join('src', 'reference', 'default-pack.json') || (path.startsWith(join('src', 'rules')) && entry.name.endsWith('.md')) ? [path] : [];
  });

for (const source of assets('src')) {
  const target = join('dist', relative('src', source));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
}
