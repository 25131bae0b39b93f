/**
 * The corpus: the WAV files the INPUTs name (files, and folders searched recursively for `.wav` in
 * any letter case), each once however many paths reach it, in the order of their path relative to
 * their INPUT. That order is the dataset's order: of its images, its metadata and its shards.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { ResonanceError, toResonanceError } from '../codec';

export interface Source {
  /** The path as found, for reading and for messages. */
  path: string;
  /** The path relative to its INPUT, with `/` separators: how the metadata names it. */
  name: string;
}

export interface Corpus {
  sources: Source[];
  /** Paths left out because an earlier path reached the same file. */
  duplicates: Array<{ path: string; sameAs: string }>;
}

const WAV = /\.wav$/i;

/**
 * The sources of `inputs`, sorted by name. Hidden files and folders (a leading dot) are not
 * searched, nor `exclude` (the dataset being written, when it lies inside an INPUT).
 */
export async function findSources(inputs: readonly string[], exclude?: string): Promise<Corpus> {
  const found: Source[] = [];
  const excluded = exclude ? resolve(exclude) : undefined;
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw toResonanceError(error, input);
    }
    if (info.isDirectory()) {
      for (const path of await wavFilesUnder(input, excluded)) found.push({ path, name: relative(input, path).split(sep).join('/') });
    } else if (info.isFile()) {
      if (!WAV.test(input)) throw new ResonanceError('WAV_INVALID', input, 'is not a .wav file (a dataset is built from WAV files and folders of them)');
      found.push({ path: input, name: basename(input) });
    } else {
      throw new ResonanceError('NOT_A_FILE', input, 'is neither a WAV file nor a folder');
    }
  }
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.path < b.path ? -1 : 1));

  const sources: Source[] = [];
  const duplicates: Corpus['duplicates'] = [];
  const byIdentity = new Map<string, Source>();
  const byName = new Map<string, Source>();
  for (const source of found) {
    const identity = await identityOf(source.path);
    const first = byIdentity.get(identity);
    if (first) {
      duplicates.push({ path: source.path, sameAs: first.path });
      continue;
    }
    const clash = byName.get(source.name);
    if (clash) {
      throw new ResonanceError(
        'PARAMETER_INVALID',
        source.path,
        `has the same path relative to its input as ${clash.path} ("${source.name}"): give the folders so that every source has a name of its own`,
      );
    }
    byIdentity.set(identity, source);
    byName.set(source.name, source);
    sources.push(source);
  }
  return { sources, duplicates };
}

async function wavFilesUnder(folder: string, excluded: string | undefined): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (excluded && resolve(dir) === excluded) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw toResonanceError(error, dir);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (WAV.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) files.push(path);
    }
  };
  await walk(folder);
  return files;
}

/** What makes two paths the same file: its device and inode, through any links. */
async function identityOf(path: string): Promise<string> {
  try {
    const info = await stat(await realpath(path));
    return `${info.dev}:${info.ino}`;
  } catch {
    // Unreadable: it is reported when it is read; as an identity, the path itself.
    return `path:${resolve(path)}`;
  }
}
