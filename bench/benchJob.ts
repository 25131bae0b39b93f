/**
 * One timed job of the benchmark, run in a child process of its own so that its peak resident
 * memory (worker threads included: they share the process) is the job's alone.
 *   node benchJob.js encode <wav> <frames folder> <expansion> <compression>
 *   node benchJob.js decode <frames folder> <wav>
 * Prints one JSON line: the seconds the codec call took (node's start-up and module loading not
 * included), peak RSS in KiB, and what the codec reported.
 */
import { decodeFolder, encodeWav, isCompression } from '../src/codec';

async function main(args: string[]): Promise<object> {
  const [kind, input, output] = args;
  const start = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  if (kind === 'encode') {
    const expansion = Number(args[3]);
    const compression = args[4];
    if (!isCompression(compression)) throw new Error(`unknown compression ${compression}`);
    const result = await encodeWav(input, { output, geometry: { width: 768, height: 768, expansion }, compression });
    return { seconds: seconds(), frameCount: result.frameCount, bytesWritten: result.bytesWritten };
  }
  if (kind === 'decode') {
    const result = await decodeFolder(input, { output });
    return { seconds: seconds(), frameCount: result.frameCount, bitExact: result.bitExact, modified: result.modified.length };
  }
  throw new Error(`unknown job ${kind}`);
}

main(process.argv.slice(2)).then(
  (report) => console.log(JSON.stringify({ ...report, maxRssKiB: process.resourceUsage().maxRSS })),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
