/** Entry point of a dataset worker thread (bundled to dist/datasetWorker.js): makes runs of clips. */
import { serveJobs } from '../codec/pipeline/workerThread';
import { runClipsJob } from './clipJob';

serveJobs(runClipsJob);
