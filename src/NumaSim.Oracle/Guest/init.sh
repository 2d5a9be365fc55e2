#!/bin/busybox sh
# Guest init of `numasim validate`: mount, dump the boot snapshot, set the sysctls, run the scenario's tasks
# twice (first with no steps: the noise of starting them; then with their steps), dump the counters before
# and while they hold their memory, print everything between marker lines on the serial console, power off.
# /numasim/sysctl holds "PATH VALUE" lines; /numasim/tasks one task a line: "CPU STEP...".
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /tmp /mnt; mount -t tmpfs tmp /tmp

dump() { # dump TAG FILE...: each file between marker lines, under its own path
  local where=$1; shift
  for f in "$@"; do [ -f "$f" ] && { echo "=== BEGIN $where $f"; cat "$f"; echo "=== END"; }; done
}
counters() { # counters TAG: what the comparison reads
  dump "$1" /proc/vmstat /proc/meminfo /proc/zoneinfo /proc/buddyinfo
  for n in /sys/devices/system/node/node*; do dump "$1" $n/numastat $n/meminfo; done
}
quiet() { sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1; }

if [ -d /modules ]; then # ext4 and virtio disks for read-file steps and swap, modules in load order
  for m in $(cat /modules/order); do insmod /modules/$m.ko || echo "numasim-guest-init: insmod $m failed"; done
  for t in $(seq 100); do [ -b /dev/vda ] && break; sleep 0.1; done
fi
if [ -f /numasim/swap ]; then # the swap disk, attached after the file disk: /numasim/swap names it
  swapdev=$(cat /numasim/swap)
  for t in $(seq 100); do [ -b $swapdev ] && break; sleep 0.1; done
  swapon $swapdev || echo "numasim-guest-init: swapon $swapdev failed"
  [ $swapdev = /dev/vda ] || mount -t ext4 -o noatime /dev/vda /mnt || echo "numasim-guest-init: mount /dev/vda failed"
elif [ -d /modules ]; then
  mount -t ext4 -o noatime /dev/vda /mnt || echo "numasim-guest-init: mount /dev/vda failed"
fi

echo "=== NUMASIM START"
dump kernel /proc/version /proc/cmdline
quiet
counters boot
dump boot /proc/pagetypeinfo /sys/devices/system/node/possible /sys/devices/system/node/online \
  /sys/devices/system/node/has_cpu /sys/devices/system/node/has_memory /sys/devices/system/node/has_normal_memory
for n in /sys/devices/system/node/node*; do
  dump boot $n/cpulist $n/distance $n/access0/initiators/read_latency $n/access0/initiators/write_latency \
    $n/access0/initiators/read_bandwidth $n/access0/initiators/write_bandwidth
done
for t in /sys/devices/virtual/memory_tiering/memory_tier*; do dump boot $t/nodelist; done

# debugfs only when a knob lives there (NUMA balancing's hot_threshold_ms): no other run sees it mounted.
grep -q '^/sys/kernel/debug/' /numasim/sysctl && { mount -t debugfs debugfs /sys/kernel/debug || echo "numasim-guest-init: mount debugfs failed"; }
while read -r path value; do
  [ -n "$path" ] && { echo "$value" > "$path" || echo "numasim-guest-init: cannot set $path"; }
done < /numasim/sysctl
for f in $(cut -d' ' -f1 /numasim/sysctl); do dump sysctl $f; done

run() { # run TAG WITH_STEPS: start every task on its CPU, wait until all hold their memory (or died), dump, kill
  # Waiting is a blocking read of a FIFO, not a polling loop: a loop's forks would allocate pages for as long as
  # the tasks run, noise the empty run could not match. Each task says "ready" on a FIFO of its own when it holds
  # its memory, which a reader passes on as its number; the subshell around it passes its number on too when it
  # ends, and then lets a reader still waiting go. A task counts once, so one the OOM killer took after it said
  # ready is not taken for another task. Descriptor 3 keeps the FIFO open, so no write blocks.
  local tag=$1 i=0 pids="" line seen=" " n=0
  rm -f /tmp/ready /tmp/ready.*; mkfifo /tmp/ready; exec 3<>/tmp/ready
  while read -r cpu steps; do
    [ -z "$cpu" ] && continue
    i=$((i+1))
    [ "$2" = yes ] || steps=""
    mkfifo /tmp/ready.$i
    ( read -r line < /tmp/ready.$i && echo $i > /tmp/ready ) &
    ( /numasim-guest --cpu "$cpu" --ready /tmp/ready.$i $steps > /tmp/out.$i 2>&1; echo "exit $?" >> /tmp/out.$i
      echo $i > /tmp/ready; : 1<>/tmp/ready.$i ) &
    pids="$pids $!"
  done < /numasim/tasks
  while [ $n -lt $i ]; do
    read -r line <&3
    case "$seen" in *" $line "*) ;; *) seen="$seen$line "; n=$((n+1)) ;; esac
  done
  counters "$tag.held"
  killall numasim-guest 2>/dev/null
  for p in $pids; do wait $p; done
  exec 3<&-
  for k in $(seq $i); do echo "=== BEGIN $tag.task /task$k"; cat /tmp/out.$k; echo "=== END"; done
}
# The shell, the subshells it forks and the exec of each task all run on CPU 0 (children inherit the mask), so
# their allocations land on the same node in the empty run and in the real one and subtract out; left to the
# scheduler, a fork lands on either node and moves a few hundred allocations between them.
taskset -p 1 $$ > /dev/null || echo "numasim-guest-init: cannot pin the shell to CPU 0"
quiet
counters empty.before
run empty no
quiet
counters run.before
run run yes
echo "=== NUMASIM END"
poweroff -f
