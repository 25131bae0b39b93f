/**
 * The dataset layer, above the codec's pipelines and shared by the CLI and the extension: a corpus
 * of WAV files in, one training set of images out (build.ts), joined from its shards (finish.ts),
 * described (describe.ts); audio conversion in audio/.
 */
export { buildDataset, type BuildOptions, type BuildResult, type DatasetProgress } from './build';
export { describeDataset, isDataset } from './describe';
export { finishDataset, type DatasetDescription, type FinishResult } from './finish';
export { shardFromEnvironment, type ShardChoice } from './shards';
export { datasetAbove, datasetParameters, parametersLike, type DecodeSource } from './like';
export { MetadataIndex, type MetadataRecord, type MetadataSplit } from './metadataIndex';
