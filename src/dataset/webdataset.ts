/**
 * The dataset's images as WebDataset shards too: tar files of `KEY.png` and `KEY.json` (the image's
 * metadata line) per sample, in the metadata's order, a new shard once one holds `maxSamples`
 * samples or would pass `maxBytes`. Written with tar-stream, the tar writer of the Node world, with
 * every header field that could vary (time, owner, mode) fixed, so that the same dataset makes the
 * same shards byte for byte.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { partialPathFor } from '../codec/pipeline/output';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { pack, type Pack } from 'tar-stream';
import { throwIfAborted } from '../codec';
import { METADATA_FILE, type MetadataLine, type Split, type WebDatasetOptions } from './records';

export const SHARDS_FOLDER = 'shards';

/** A tar entry's header and padding: what a sample costs in a shard beyond its files' bytes. */
const TAR_BLOCK = 512;

/** Writes the shards of one split; the names of the shards written, relative to the dataset. */
export async function writeWebDatasetShards(dataset: string, split: Split, options: WebDatasetOptions, signal?: AbortSignal): Promise<string[]> {
  const written: string[] = [];
  let current: { tar: Pack; done: Promise<void>; partial: string; path: string; samples: number; bytes: number } | undefined;
  const close = async () => {
    if (!current) return;
    current.tar.finalize();
    await current.done;
    await rename(current.partial, current.path);
    current = undefined;
  };
  const lines = createInterface({ input: createReadStream(join(dataset, split, METADATA_FILE)), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      if (text === '') continue;
      throwIfAborted(signal);
      const line = JSON.parse(text) as MetadataLine;
      const png = await readFile(join(dataset, split, line.file_name));
      const json = Buffer.from(`${text}\n`);
      const size = entrySize(png.length) + entrySize(json.length);
      if (current && (current.samples >= options.maxSamples || current.bytes + size > options.maxBytes)) await close();
      if (!current) {
        const name = `${SHARDS_FOLDER}/${split}-${String(written.length).padStart(6, '0')}.tar`;
        const path = join(dataset, name);
        const partial = partialPathFor(path);
        const tar = pack();
        current = { tar, done: pipeline(tar, createWriteStream(partial, { flags: 'wx' })), partial, path, samples: 0, bytes: 2 * TAR_BLOCK };
        written.push(name);
      }
      await addEntry(current.tar, `${line.key}.png`, png);
      await addEntry(current.tar, `${line.key}.json`, json);
      current.samples++;
      current.bytes += size;
    }
    await close();
  } catch (error) {
    if (current) {
      current.tar.destroy();
      await current.done.catch(() => undefined);
      await rm(current.partial, { force: true });
    }
    throw error;
  }
  return written;
}

function entrySize(bytes: number): number {
  return TAR_BLOCK + Math.ceil(bytes / TAR_BLOCK) * TAR_BLOCK;
}

function addEntry(tar: Pack, name: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    tar.entry({ name, size: body.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', type: 'file' }, body, (error) =>
      error ? reject(error) : resolve(),
    );
  });
}
