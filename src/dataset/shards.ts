/**
 * Which shard of a build this process is, when the command line does not say: the engines sites
 * already run tell their tasks in the environment. Slurm's job arrays give SLURM_ARRAY_TASK_ID and
 * SLURM_ARRAY_TASK_COUNT (counted from the array's first index, SLURM_ARRAY_TASK_MIN, so that
 * `--array=1-8` works as well as `--array=0-7`); Kubernetes' Indexed Jobs give JOB_COMPLETION_INDEX,
 * whose count comes from --shards or RESONANCE_SHARDS; anything else can set RESONANCE_SHARD=I/N.
 */
export interface ShardChoice {
  shard: { index: number; count: number };
  /** Where it came from, for the summary. */
  from: string;
}

export function shardFromEnvironment(env: NodeJS.ProcessEnv, shards?: number): ShardChoice | { problem: string } | undefined {
  const whole = (name: string): number | undefined => (env[name] !== undefined && /^\d+$/.test(env[name]!) ? Number(env[name]) : undefined);
  if (env.RESONANCE_SHARD !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(env.RESONANCE_SHARD);
    if (!match || Number(match[1]) >= Number(match[2])) {
      return { problem: `RESONANCE_SHARD must be I/N with I from 0 to N − 1, not "${env.RESONANCE_SHARD}"` };
    }
    return { shard: { index: Number(match[1]), count: Number(match[2]) }, from: 'RESONANCE_SHARD' };
  }
  const task = whole('SLURM_ARRAY_TASK_ID');
  if (task !== undefined) {
    const count = whole('SLURM_ARRAY_TASK_COUNT');
    const index = task - (whole('SLURM_ARRAY_TASK_MIN') ?? 0);
    if (count === undefined || index < 0 || index >= count) {
      return {
        problem: `SLURM_ARRAY_TASK_ID ${task} is not one of ${count ?? '?'} consecutive array tasks (SLURM_ARRAY_TASK_MIN ` +
          `${env.SLURM_ARRAY_TASK_MIN ?? 'unset'}): submit the array as --array=0-${(count ?? 1) - 1}`,
      };
    }
    return { shard: { index, count }, from: 'Slurm (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT)' };
  }
  const completion = whole('JOB_COMPLETION_INDEX');
  if (completion !== undefined) {
    const count = shards ?? whole('RESONANCE_SHARDS');
    if (count === undefined)
      return {
        problem: "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give the number of shards, --shards N or RESONANCE_SHARDS (the Job's completions)",
      };
    if (completion >= count) return { problem: `JOB_COMPLETION_INDEX ${completion} is not below the ${count} shards given` };
    return { shard: { index: completion, count }, from: 'Kubernetes (JOB_COMPLETION_INDEX)' };
  }
  return undefined;
}
