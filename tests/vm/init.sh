#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# /init of the guest (tests/vm/vm.py; busybox sh). Mounts the host's root
# (9p "hostroot", read-only) under a tmpfs overlay at /newroot, gives it
# the kernel's modules and a modprobe, runs the job (9p "out": job.sh)
# chrooted there with its stdout in out/stdout, its stderr in out/stderr
# and its exit status in out/rc, then powers off. The kernel's own module
# requests use this initramfs's /sbin/modprobe and /lib/modules: the same
# modules.
PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
/bin/busybox mkdir -p /usr/bin /usr/sbin
/bin/busybox --install -s

fail() {
	echo "gso-vm: $*"
	poweroff -f
	sleep 5
	exit 1
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo 1 >/proc/sys/kernel/panic_on_oops
modprobe -a virtio_pci 9pnet_virtio 9p overlay || fail "modprobe failed"
p9="trans=virtio,version=9p2000.L,msize=512000"
# cache=loose: the guest keeps what it read of the host's root (which the
# run does not change) instead of asking QEMU again for every stat and
# read; Python's and DPDK's start-ups are made of those.
mount -t 9p -o "$p9,ro,cache=loose" hostroot /lower ||
	fail "no 9p hostroot"
mount -t 9p -o "$p9" out /out || fail "no 9p out"
mount -t tmpfs -o mode=755 upper /upper
mkdir /upper/u /upper/w
mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w \
	root /newroot || fail "no overlay"
r=/newroot
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t devtmpfs devtmpfs $r/dev
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts devpts $r/dev/pts
mount -t tmpfs tmpfs $r/dev/shm
mount -t tmpfs -o mode=755 tmpfs $r/run
# /tmp stays the host's under the overlay (writes go to the tmpfs upper
# layer): a checkout or build under /tmp, as CI's clone, must be visible.
mkdir -p $r/run/gso-vm/out
mount --bind /out $r/run/gso-vm/out
# The modules (those this initramfs holds) where the root's tools look.
mkdir -p $r/lib/modules
cp -a "/lib/modules/$(uname -r)" $r/lib/modules/
if [ ! -e $r/sbin/modprobe ] && [ ! -e $r/usr/sbin/modprobe ]; then
	cp /bin/busybox $r/run/gso-vm/busybox
	ln -s /run/gso-vm/busybox $r/usr/sbin/modprobe
fi
hostname gso-vm
ip link set lo up

chroot $r /bin/sh /run/gso-vm/out/job.sh \
	>/out/stdout 2>/out/stderr </dev/null
echo $? >/out/rc
sync
poweroff -f
sleep 5
