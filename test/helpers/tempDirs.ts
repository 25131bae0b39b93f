/** Temporary folders for a test file, removed when the file's tests end. */
import { after } from 'node:test';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Returns a maker of fresh empty folders under one root that is removed after the file's tests. */
export function tempFolders(name: string): () => Promise<string> {
  let root: Promise<string> | undefined;
  let count = 0;
  after(async () => {
    if (root) await rm(await root, { recursive: true, force: true });
  });
  return async () => {
    root ??= mkdtemp(join(tmpdir(), `resonance-${name}-`));
    const folder = join(await root, String(count++));
    await mkdir(folder);
    return folder;
  };
}

/** Every path under `folder` (relative, sorted), to show that a failed job left nothing behind. */
export async function listTree(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true });
  return entries.map(String).sort();
}
