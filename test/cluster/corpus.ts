/** A small corpus for the multi-machine recipes: enough sources that each of 4 shards gets some. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sineWav } from '../helpers/datasets';

export async function clusterCorpus(folder: string): Promise<string> {
  const root = join(folder, 'corpus');
  await mkdir(join(root, 'takes'), { recursive: true });
  for (let i = 0; i < 10; i++) {
    await writeFile(join(root, i % 2 ? 'takes' : '', `take${i}.wav`), sineWav({ rate: 16000, channels: 1, bits: 16, seconds: 0.3, hz: 200 + 30 * i }));
  }
  return root;
}
