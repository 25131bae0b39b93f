#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian 12, as root), for tests of array jobs.
# Needs slurm-wlm and munge (.ci/run installs them); writes slurm.conf for this host, keeps state
# and logs under $SLURM_RUN, starts munged, slurmctld and slurmd, and waits until the node is idle.
# Prints the run folder. Stop it with stop-slurm.sh SLURM_RUN. Adapted from a recipe proven on Debian 12.
set -euo pipefail
SLURM_RUN=${SLURM_RUN:-$(mktemp -d /tmp/slurm-run.XXXXXX)}
mkdir -p "$SLURM_RUN"/{state,spool,log} /run/munge /var/log/munge /var/lib/munge
# munged refuses to start unless its folders belong to the munge user; the key is made by the package.
chown munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge
[ -f /etc/munge/munge.key ] || { runuser -u munge -- /usr/sbin/mungekey --create 2>/dev/null || \
  { dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }; }
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
fi
host=$(hostname -s)
mem=$(( $(free -m | awk '/^Mem:/{print $2}') - 1024 ))
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$SLURM_RUN/state
SlurmdSpoolDir=$SLURM_RUN/spool
SlurmctldLogFile=$SLURM_RUN/log/slurmctld.log
SlurmdLogFile=$SLURM_RUN/log/slurmd.log
SlurmctldPidFile=$SLURM_RUN/slurmctld.pid
SlurmdPidFile=$SLURM_RUN/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld
slurmd
for _ in $(seq 1 60); do
  sinfo -h -o '%t' 2>/dev/null | grep -qx idle && { echo "$SLURM_RUN"; exit 0; }
  sleep 0.5
done
echo "slurm did not become idle; logs in $SLURM_RUN/log" >&2
exit 1
