#!/usr/bin/env bash
# Submits the build as a Slurm array of SHARDS tasks (default 4), then a finish job that runs only
# when every task has succeeded (afterok). If a task fails, the finish job never starts: look in
# resonance-dataset-JOB_TASK.out, fix, and resubmit only that task, e.g. `sbatch --array=2 ...`,
# then run `resonance dataset finish DATASET`, which names any shard still missing.
#
#   INPUT=/shared/corpus DATASET=/shared/ds SHARDS=100 RESONANCE_OPTIONS="--size 512" examples/slurm/submit.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${SHARDS:-4}
: "${INPUT:?set INPUT}" "${DATASET:?set DATASET}"
export INPUT DATASET RESONANCE_OPTIONS="${RESONANCE_OPTIONS:-}"
array=$(sbatch --parsable --array=0-$((shards - 1)) "$here/build-dataset.sbatch")
sbatch --parsable --job-name=resonance-finish --dependency="afterok:${array%%;*}" --output=resonance-finish-%j.out \
  --wrap "${RESONANCE:-resonance} dataset finish \"$DATASET\""
