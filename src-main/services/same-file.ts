import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../../src-shared/contract';

/**
 * Whether a file being added is already a dataset of the workspace, so adding it again opens
 * that dataset instead of a duplicate: the same path (after resolving links), or a file of the
 * same name, size and modification time (a copy kept with its timestamp).
 */
export async function findSameFile(datasets: Dataset[], file: string): Promise<Dataset | null> {
  const files = datasets.filter((d) => !d.query);
  const absolute = path.resolve(file);
  const exact = files.find((d) => d.path === absolute);
  if (exact) return exact;
  const real = await realpath(absolute).catch(() => absolute);
  const info = await stat(real).catch(() => null);
  for (const d of files) {
    const otherReal = await realpath(d.path).catch(() => null);
    if (otherReal === null) continue; // its file is gone
    if (otherReal === real) return d;
    if (!info || path.basename(d.path) !== path.basename(absolute)) continue;
    const other = await stat(otherReal).catch(() => null);
    if (other && other.size === info.size && Math.abs(other.mtimeMs - info.mtimeMs) < 1) return d;
  }
  return null;
}

/**
 * An earlier upload (the web host's drag and drop) of the same name and content: the datasets
 * kept in `uploadsDir` whose file has the upload's name and size, compared by SHA-256.
 */
export async function findSameUpload(datasets: Dataset[], uploadsDir: string, upload: string, name: string): Promise<Dataset | null> {
  const size = (await stat(upload)).size;
  const inside = path.resolve(uploadsDir) + path.sep;
  let hash: string | null = null;
  for (const d of datasets) {
    if (d.query || !d.path.startsWith(inside) || d.path === upload || path.basename(d.path) !== name) continue;
    const other = await stat(d.path).catch(() => null);
    if (!other || other.size !== size) continue;
    hash ??= await sha256(upload);
    if ((await sha256(d.path)) === hash) return d;
  }
  return null;
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}
