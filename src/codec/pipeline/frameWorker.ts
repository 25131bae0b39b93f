/** Entry point of a frame worker thread (bundled to dist/frameWorker.js). */
import { runFrameJob } from './frameJobs';
import { serveJobs } from './workerThread';

serveJobs(runFrameJob);
