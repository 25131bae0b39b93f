/** `resonance dataset info`: what a dataset folder holds, from its dataset.json. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ResonanceError } from '../codec';
import type { DatasetDescription } from './finish';
import { DATASET_FILE, DATASET_FORMAT, readJsonFile, statePaths } from './records';

export async function describeDataset(dataset: string): Promise<DatasetDescription> {
  const description = await readJsonFile<DatasetDescription>(join(dataset, DATASET_FILE), 'dataset.json');
  if (description?.format === DATASET_FORMAT) return description;
  if (description) throw new ResonanceError('NOT_A_DATASET', join(dataset, DATASET_FILE), 'is not a Resonance dataset.json');
  const building = await readJsonFile(statePaths(dataset).build, 'build record');
  if (building)
    throw new ResonanceError(
      'DATASET_UNFINISHED',
      dataset,
      'is being built and has no dataset.json yet: when every shard is done, run resonance dataset finish',
    );
  throw new ResonanceError('NOT_A_DATASET', dataset, 'is not a Resonance dataset (no dataset.json)');
}

/** Whether a folder is a dataset, finished or being built. */
export async function isDataset(folder: string): Promise<boolean> {
  const present = (path: string) => stat(path).then(() => true, () => false);
  return (await present(join(folder, DATASET_FILE))) || (await present(statePaths(folder).build));
}
