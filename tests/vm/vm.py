# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""A QEMU guest that runs a command of this machine under Debian's kernel
(Python, stdlib only; ../../docs/testing.md, "The QEMU guest rig").

What it boots, all made at run time in a temporary directory:
  - Debian's kernel (linux-image-amd64, unpacked by scripts/vm-deps.sh into
    $GSO_VM_CACHE, never installed): its bzImage decompressed to an ELF
    vmlinux, which QEMU boots through the PVH entry (no decompression in
    the guest: seconds saved under TCG);
  - an initramfs (newc cpio, uncompressed) of busybox-static, init.sh as
    /init, and the modules the guest needs with their dependencies (from
    each module's .modinfo), their modules.dep made by busybox depmod;
  - the host's root shared read-only over 9p, under a tmpfs overlay in the
    guest, so the guest runs this machine's python3, DPDK and the
    project's build; a second, writable 9p share (OUT) carries the job in
    and its output back.

The job is a shell script run in the guest's overlay root; its stdout goes
to OUT/stdout (passed on line by line while the guest runs), its stderr to
OUT/stderr, its exit status to OUT/rc. The guest powers off after it.
By hand: python3 tests/vm/vm.py [--module M]... -- COMMAND...
Every VM runs under `timeout`, in a session of its own that is killed on
any exit of the caller; the temporary directory is removed.

TCG unless KVM really works: /dev/kvm on these machines is a paravirtual
PVM device (kvm_pvm) that a stock Debian kernel cannot run under.
"""

import lzma
import os
import shutil
import signal
import stat
import struct
import subprocess
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.environ.get("GSO_VM_CACHE", "/var/cache/gso-offload/vm")
INIT = os.path.join(HERE, "init.sh")

# What the guest needs to reach its root: virtio PCI, 9p, overlay.
BOOT_MODULES = ("virtio_pci", "9pnet_virtio", "9p", "overlay")


# ---------------------------------------------------------------- finding


def find():
    """(qemu, kernel tree, busybox), or raises Unavailable with why."""
    if os.geteuid() != 0:
        raise Unavailable("needs root (the guest's tests make namespaces)")
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        raise Unavailable("qemu-system-x86_64 is not installed "
                          "(scripts/vm-deps.sh installs qemu-system-x86)")
    if not shutil.which("timeout"):
        raise Unavailable("timeout (coreutils) is not installed")
    ktree = os.path.join(CACHE, "kernel")
    boot = os.path.join(ktree, "boot")
    kernels = sorted(f for f in os.listdir(boot)
                     if f.startswith("vmlinuz-")) if os.path.isdir(boot) \
        else []
    if not kernels:
        raise Unavailable("no Debian kernel in %s (scripts/vm-deps.sh "
                          "unpacks linux-image-amd64 there)" % ktree)
    busybox = os.path.join(CACHE, "busybox", "bin", "busybox")
    if not os.access(busybox, os.X_OK):
        raise Unavailable("no busybox-static in %s (scripts/vm-deps.sh "
                          "unpacks it there)" % os.path.dirname(busybox))
    return qemu, Kernel(ktree, kernels[-1][len("vmlinuz-"):]), busybox


class Unavailable(Exception):
    """The rig cannot run here (the reason for a skip)."""


class Kernel:
    def __init__(self, tree, version):
        self.tree, self.version = tree, version
        self.bzimage = os.path.join(tree, "boot", "vmlinuz-" + version)
        self.moddir = os.path.join(tree, "lib", "modules", version)
        self._index = None

    def index(self):
        """{module name: path}, names as the kernel spells them (_)."""
        if self._index is None:
            self._index = {}
            for root, _, files in os.walk(os.path.join(self.moddir,
                                                       "kernel")):
                for f in files:
                    if f.endswith(".ko"):
                        self._index[f[:-3].replace("-", "_")] = \
                            os.path.join(root, f)
        return self._index

    def builtin(self):
        path = os.path.join(self.moddir, "modules.builtin")
        try:
            with open(path) as f:
                return {os.path.basename(l.strip())[:-3].replace("-", "_")
                        for l in f if l.strip().endswith(".ko")}
        except OSError:
            return set()

    def closure(self, names):
        """Paths of the modules names need, dependencies first; names the
        kernel has built in are left out, unknown ones raise KeyError."""
        idx, builtin = self.index(), self.builtin()
        order, seen = [], set()

        def visit(name):
            name = name.replace("-", "_")
            if name in seen or name in builtin:
                return
            seen.add(name)
            path = idx[name]
            for dep in modinfo(path).get("depends", "").split(","):
                if dep:
                    visit(dep)
            order.append(path)

        for n in names:
            visit(n)
        return order


def modinfo(path):
    """A module's .modinfo section as {key: value} (the last of a key)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("%s: not a 64-bit ELF object" % path)
    end = "<" if data[5] == 1 else ">"
    shoff, = struct.unpack_from(end + "Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 0x3a)

    def sh(i):
        # name, type, flags, addr, offset, size
        return struct.unpack_from(end + "IIQQQQ", data, shoff + i * shentsize)

    stroff = sh(shstrndx)[4]
    for i in range(shnum):
        name, _, _, _, off, size = sh(i)
        nend = data.index(b"\0", stroff + name)
        if data[stroff + name:nend] == b".modinfo":
            out = {}
            for item in data[off:off + size].split(b"\0"):
                if b"=" in item:
                    k, v = item.decode(errors="replace").split("=", 1)
                    out[k] = v
            return out
    return {}


# ---------------------------------------------------------------- making


def make_vmlinux(bzimage, dest):
    """Writes the ELF kernel inside a bzImage to dest (an xz or gzip
    payload: Debian's is xz); False if none was found (the caller boots
    the bzImage itself, decompressing in the guest)."""
    with open(bzimage, "rb") as f:
        data = f.read()
    for magic, fn in ((b"\xfd7zXZ\x00", _unxz), (b"\x1f\x8b\x08", _gunzip)):
        pos = data.find(magic)
        while pos >= 0:
            try:
                out = fn(data[pos:])
            except (lzma.LZMAError, zlib.error, EOFError):
                out = b""
            if out[:4] == b"\x7fELF":
                with open(dest, "wb") as f:
                    f.write(out)
                return True
            pos = data.find(magic, pos + 1)
    return False


def _unxz(buf):
    return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(buf)


def _gunzip(buf):
    return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(buf)


class Cpio:
    """A newc archive, written as it goes."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.ino = 1

    def _entry(self, name, mode, data=b"", nlink=1):
        name_b = name.encode() + b"\0"
        hdr = "070701" + "".join("%08X" % v for v in (
            self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0,
            len(name_b), 0))
        self.ino += 1
        self.f.write(hdr.encode() + name_b)
        self.f.write(b"\0" * (-(110 + len(name_b)) % 4))
        self.f.write(data)
        self.f.write(b"\0" * (-len(data) % 4))

    def dir(self, name):
        self._entry(name, stat.S_IFDIR | 0o755, nlink=2)

    def file(self, name, data, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def close(self):
        self._entry("TRAILER!!!", 0)
        self.f.close()


def make_initramfs(dest, kernel, busybox, modules, workdir):
    """busybox, /init and modules (names; with their dependencies) with a
    modules.dep from busybox depmod; returns the module paths, in load
    order."""
    paths = kernel.closure(list(BOOT_MODULES) + list(modules))
    # busybox depmod runs here, on a tree of just these modules.
    tree = os.path.join(workdir, "modtree")
    mdir = os.path.join(tree, "lib", "modules", kernel.version)
    for p in paths:
        rel = os.path.relpath(p, kernel.moddir)
        os.makedirs(os.path.join(mdir, os.path.dirname(rel)), exist_ok=True)
        shutil.copyfile(p, os.path.join(mdir, rel))
    for f in ("modules.builtin", "modules.order"):
        src = os.path.join(kernel.moddir, f)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(mdir, f))
    subprocess.run([busybox, "depmod", "-b", tree, kernel.version],
                   check=True, stdout=subprocess.DEVNULL)
    c = Cpio(dest)
    for d in ("bin", "sbin", "dev", "proc", "sys", "lower", "upper",
              "newroot", "out", "lib", "lib/modules"):
        c.dir(d)
    with open(busybox, "rb") as f:
        c.file("bin/busybox", f.read(), 0o755)
    c.symlink("bin/sh", "busybox")
    with open(INIT, "rb") as f:
        c.file("init", f.read(), 0o755)
    for root, dirs, files in os.walk(os.path.join(tree, "lib")):
        rel = os.path.relpath(root, tree)
        for d in sorted(dirs):
            c.dir(os.path.join(rel, d))
        for fn in sorted(files):
            with open(os.path.join(root, fn), "rb") as f:
                c.file(os.path.join(rel, fn), f.read())
    c.close()
    return paths


# ---------------------------------------------------------------- running


def kvm_usable():
    """KVM only where the CPU has vmx/svm and /dev/kvm is not kvm_pvm."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK) or \
            os.path.exists("/sys/module/kvm_pvm"):
        return False
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    return " vmx" in flags or " svm" in flags


class Guest:
    """One VM: Guest(...).run(job, on_line) -> (the job's exit status or
    None, the guest's console log). modules: names the guest may load,
    beyond BOOT_MODULES. qemu_args: more QEMU arguments (NICs, their
    netdevs). shared_mem: guest RAM in a shared memfd, which vhost-user
    back-ends (net_vhost) need to map it."""

    def __init__(self, modules=(), mem_mb=2048, cpus=2, timeout=300,
                 log=None, qemu_args=(), shared_mem=False):
        self.qemu, self.kernel, self.busybox = find()
        self.modules, self.mem_mb, self.cpus = modules, mem_mb, cpus
        self.qemu_args, self.shared_mem = list(qemu_args), shared_mem
        self.timeout = timeout
        self.log = log or (lambda msg: None)

    def run(self, job, on_line=None, on_err=None):
        """Boots, runs job (shell text) in the guest, powers off. on_line
        is called with each line of the job's stdout as it comes, on_err
        with each line of its stderr at the end."""
        work = tempfile.mkdtemp(prefix="gso-vm.")
        proc = None
        try:
            t0 = time.monotonic()
            vmlinux = os.path.join(work, "vmlinux")
            kimage = vmlinux if make_vmlinux(self.kernel.bzimage, vmlinux) \
                else self.kernel.bzimage
            initrd = os.path.join(work, "initramfs.cpio")
            mods = make_initramfs(initrd, self.kernel, self.busybox,
                                  self.modules, work)
            out = os.path.join(work, "out")
            os.mkdir(out)
            with open(os.path.join(out, "job.sh"), "w") as f:
                f.write(job)
            self.log("kernel %s (%s), initramfs %d KiB with %d modules, "
                     "made in %.1f s" % (
                         self.kernel.version, "ELF vmlinux, PVH" if
                         kimage == vmlinux else "bzImage",
                         os.path.getsize(initrd) >> 10, len(mods),
                         time.monotonic() - t0))
            console = os.path.join(work, "console.log")
            accel = ["-accel", "kvm", "-cpu", "host"] if kvm_usable() else \
                ["-accel", "tcg,thread=multi", "-cpu", "max"]
            argv = ["timeout", "-k", "5", str(self.timeout), self.qemu,
                    "-nodefaults", "-no-user-config", "-display", "none",
                    "-no-reboot", "-m", str(self.mem_mb),
                    "-smp", str(self.cpus)] + accel + [
                    "-kernel", kimage, "-initrd", initrd,
                    "-append", "console=ttyS0 panic=-1 loglevel=4 "
                    "8250.nr_uarts=1 tsc=reliable mitigations=off",
                    "-serial", "file:" + console,
                    "-virtfs", "local,path=/,mount_tag=hostroot,"
                    "security_model=none,readonly=on,multidevs=remap",
                    "-virtfs", "local,path=%s,mount_tag=out,"
                    "security_model=none" % out]
            if self.shared_mem:
                argv += ["-object", "memory-backend-memfd,id=mem,size=%dM,"
                         "share=on" % self.mem_mb,
                         "-numa", "node,memdev=mem"]
            argv += self.qemu_args
            self.log("%s (%s)" % (" ".join(argv[4:6] + accel),
                                  "KVM" if "kvm" in accel else "TCG"))
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT,
                                    start_new_session=True)
            stdout_path = os.path.join(out, "stdout")
            pos, pending = 0, b""
            while True:
                done = proc.poll() is not None
                if os.path.exists(stdout_path):
                    with open(stdout_path, "rb") as f:
                        f.seek(pos)
                        chunk = f.read()
                    pos += len(chunk)
                    pending += chunk
                    *lines, pending = pending.split(b"\n")
                    for line in lines:
                        if on_line:
                            on_line(line.decode(errors="replace"))
                if done:
                    break
                time.sleep(0.5)
            if pending and on_line:
                on_line(pending.decode(errors="replace"))
            qemu_out = proc.stdout.read().decode(errors="replace")
            qrc = proc.wait()
            proc = None
            rc = None
            try:
                with open(os.path.join(out, "rc")) as f:
                    rc = int(f.read().strip())
            except (OSError, ValueError):
                pass
            try:
                with open(console, errors="replace") as f:
                    cons = f.read()
            except OSError:
                cons = ""
            if qemu_out.strip():
                cons += "\n[qemu] " + qemu_out
            if on_err:
                try:
                    with open(os.path.join(out, "stderr"),
                              errors="replace") as f:
                        for line in f:
                            on_err(line.rstrip("\n"))
                except OSError:
                    pass
            self.log("VM ran %.1f s in all (QEMU exit status %d%s)" % (
                time.monotonic() - t0, qrc, ", killed by timeout %d s" %
                self.timeout if qrc in (124, 137) else ""))
            return rc, cons
        finally:
            if proc is not None:
                # A signal or an error here: no VM left behind.
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
            shutil.rmtree(work, ignore_errors=True)


def main(argv):
    """vm.py [--timeout S] [--module M]... -- COMMAND...: COMMAND in a
    guest (in this directory), its output here."""
    import argparse
    import shlex
    import sys
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--module", action="append", default=[])
    ap.add_argument("--console", action="store_true",
                    help="print the guest's console log at the end")
    ap.add_argument("command", nargs="+")
    a = ap.parse_args(argv)
    try:
        g = Guest(a.module, timeout=a.timeout,
                  log=lambda m: sys.stderr.write("vm: %s\n" % m))
    except Unavailable as e:
        sys.stderr.write("vm: cannot run: %s\n" % e)
        return 77
    job = "cd %s || exit 1\nexport PATH=/usr/local/sbin:/usr/local/bin:" \
        "/usr/sbin:/usr/bin:/sbin:/bin\nexec %s\n" % (
            shlex.quote(os.getcwd()), " ".join(map(shlex.quote, a.command)))
    rc, cons = g.run(job, on_line=print,
                     on_err=lambda l: sys.stderr.write(l + "\n"))
    if a.console or rc is None:
        sys.stderr.write(cons)
    return 125 if rc is None else rc


if __name__ == "__main__":
    import sys
    raise SystemExit(main(sys.argv[1:]))
