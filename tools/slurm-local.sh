#!/bin/sh
# slurm-local.sh - a Slurm cluster of one host (this machine) for the tests
# and the benchmark of hearsay slurm: munge (started only when it is not
# running), slurmctld and slurmd with a private configuration, state and
# logs in DIR, on ports of their own, the node's CPUs and memory read off the
# machine (slurmd -C). Needs root and Debian's slurm-wlm and munge.
#
#   tools/slurm-local.sh start DIR   starts it; prints SLURM_CONF=DIR/slurm.conf
#   tools/slurm-local.sh stop DIR    stops what start started
#
# Exit status: 0 done, 1 it failed (the daemons' logs are in DIR), 3 this
# machine cannot run it (not root, or Slurm or munge not installed).
set -u
what=${1:-}
DIR=${2:-}
[ -n "$what" ] && [ -n "$DIR" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd) || exit 1
CONF=$DIR/slurm.conf
export SLURM_CONF="$CONF"

stop() {
    if [ -f "$CONF" ]; then
        scontrol shutdown >/dev/null 2>&1
        for p in slurmctld slurmd; do
            pid=$(cat "$DIR/$p.pid" 2>/dev/null)
            [ -n "$pid" ] || continue
            i=0
            while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
            kill -9 "$pid" 2>/dev/null
        done
    fi
    if [ -f "$DIR/munged.ours" ]; then
        pid=$(cat /run/munge/munged.pid 2>/dev/null)
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
        rm -f "$DIR/munged.ours"
    fi
    return 0
}

if [ "$what" = stop ]; then
    stop
    exit 0
fi
[ "$what" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || { echo "slurm-local.sh: needs root (slurmd starts jobs as their users)" >&2; exit 3; }
for c in slurmctld slurmd sbatch squeue scontrol munged munge unmunge; do
    command -v "$c" >/dev/null 2>&1 ||
        { echo "slurm-local.sh: $c is absent (apt-get install slurm-wlm munge)" >&2; exit 3; }
done

# munge: the authentication Slurm's daemons and commands use
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    if [ ! -s /etc/munge/munge.key ]; then
        mkdir -p /etc/munge
        if command -v mungekey >/dev/null 2>&1; then mungekey -c -f -k /etc/munge/munge.key
        else dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; fi
        chown munge:munge /etc/munge/munge.key 2>/dev/null
        chmod 400 /etc/munge/munge.key
    fi
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null
    if command -v runuser >/dev/null 2>&1; then runuser -u munge -- /usr/sbin/munged
    else su -s /bin/sh munge -c /usr/sbin/munged; fi || { echo "slurm-local.sh: munged did not start" >&2; exit 1; }
    touch "$DIR/munged.ours"
    i=0
    until munge -n 2>/dev/null | unmunge >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt 50 ] && { echo "slurm-local.sh: munge does not answer" >&2; stop; exit 1; }
        sleep 0.1
    done
fi

# the node as slurmd sees it: NodeName=... CPUs=... RealMemory=...
node=$(slurmd -C 2>/dev/null | head -n1)
name=$(echo "$node" | sed -n 's/^NodeName=\([^ ]*\).*/\1/p')
[ -n "$name" ] || { echo "slurm-local.sh: slurmd -C did not describe this machine" >&2; stop; exit 1; }
mem=$(echo "$node" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
mem=$((mem > 1024 ? mem - 512 : mem))
node=$(echo "$node" | sed "s/RealMemory=[0-9]*/RealMemory=$mem/")
ctlport=${SLURM_LOCAL_PORT:-16817}
mkdir -p "$DIR/state" "$DIR/spool"
cat >"$CONF" <<EOF
# written by hearsay's tools/slurm-local.sh: one host, private state and ports
ClusterName=hearsay-local
SlurmctldHost=$name
SlurmctldPort=$ctlport
SlurmdPort=$((ctlport + 1))
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SchedulerParameters=sched_interval=1
MaxArraySize=100001
MinJobAge=600
$node State=UNKNOWN
PartitionName=local Nodes=$name Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$CONF" -i || { echo "slurm-local.sh: slurmctld did not start (see $DIR/slurmctld.log)" >&2; stop; exit 1; }
slurmd -f "$CONF" || { echo "slurm-local.sh: slurmd did not start (see $DIR/slurmd.log)" >&2; stop; exit 1; }
i=0
until sinfo -h -o %T 2>/dev/null | grep -q idle; do
    i=$((i + 1))
    [ $i -gt 300 ] && { echo "slurm-local.sh: the node did not come up (see $DIR/*.log)" >&2; stop; exit 1; }
    sleep 0.1
done
echo "SLURM_CONF=$CONF"
