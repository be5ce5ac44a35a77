#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# The main job: gso-fwd between two Linux network namespaces.
#
#   ns A: kernel TCP sender, TSO on        ns B: kernel TCP receiver
#     a0 =====veth===== fa  [gso-fwd in ns F]  fb =====veth===== b0
#                           af_packet ports
#
# A's kernel hands its TCP superframes (up to 60000 bytes, TSO) to the veth
# whole; gso-fwd receives them on an af_packet port, which has no TSO, so
# the pipeline segments them in software at the MSS B's MTU allows, with
# every checksum computed; the partial checksums the kernels leave in small
# frames (ACKs) are completed on the way. The demo prints the transfer's
# throughput, checks the received bytes (SHA-256 on both sides) and prints
# what the forwarder did. Namespaces are removed on exit, Ctrl-C included.
#
# Usage: scripts/demo.sh [MEGABYTES]      (default 512; needs root)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-512}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root (network namespaces, veth); try: sudo $0" >&2
	exit 1
fi
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null

fwd="$top/build/app/gso-fwd"
peer="$top/tests/netns_peer.py"
tag=$$
ns_a=gsodemo${tag}a ns_b=gsodemo${tag}b ns_f=gsodemo${tag}f
a0=gda$tag fa=gdA$tag b0=gdb$tag fb=gdB$tag
ip_b=10.78.0.2
framesz=61440   # af_packet ring frame: an mbuf holds at most 65535 bytes
fwd_pid=""

cleanup() {
	trap - EXIT INT TERM
	[ -n "$fwd_pid" ] && kill -TERM "$fwd_pid" 2>/dev/null
	for ns in "$ns_a" "$ns_b" "$ns_f"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted, cleaning up"; exit 130' INT TERM

echo "== setting up namespaces $ns_a (sender), $ns_f (gso-fwd), $ns_b (receiver)"
for ns in "$ns_a" "$ns_b" "$ns_f"; do
	ip netns add "$ns"
	ip -n "$ns" link set lo up
done
ip link add "$a0" netns "$ns_a" type veth peer name "$fa" netns "$ns_f"
ip link add "$b0" netns "$ns_b" type veth peer name "$fb" netns "$ns_f"
# af_packet receives at most framesz - 66 bytes of a frame: keep the
# sender's superframes below that.
ip -n "$ns_a" link set "$a0" gso_max_size 60000
for dev in "$fa" "$fb"; do
	ip netns exec "$ns_f" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
	ip -n "$ns_f" link set "$dev" up
done
mac_a=$(ip -n "$ns_a" -br link show "$a0" | awk '{print $3}')
mac_b=$(ip -n "$ns_b" -br link show "$b0" | awk '{print $3}')
ip -n "$ns_a" addr add 10.78.0.1/24 dev "$a0"
ip -n "$ns_b" addr add "$ip_b/24" dev "$b0"
ip -n "$ns_a" link set "$a0" up
ip -n "$ns_b" link set "$b0" up
ip -n "$ns_a" neigh replace "$ip_b" lladdr "$mac_b" dev "$a0" nud permanent
ip -n "$ns_b" neigh replace 10.78.0.1 lladdr "$mac_a" dev "$b0" nud permanent
echo "sender $a0: $(ip netns exec "$ns_a" ethtool -k "$a0" |
	grep -E '^tcp-segmentation-offload')"

echo "== starting gso-fwd (net_af_packet on $fa and $fb)"
geo="framesz=$framesz,blocksz=$framesz,framecnt=64,qdisc_bypass=1"
log=$(mktemp /tmp/gso-fwd-demo.XXXXXX)
exec 4< <(exec ip netns exec "$ns_f" "$fwd" -l 0,1 --no-huge -m 1024 \
	--no-pci --file-prefix "gsodemo$tag" --log-level 'lib.eal:error' \
	--vdev "net_af_packet0,iface=$fa,$geo" \
	--vdev "net_af_packet1,iface=$fb,$geo" \
	-- --mbuf-size 65535 --nb-mbufs 2048 --stats 1 2>&1)
fwd_pid=$!
while IFS= read -r -t 60 -u 4 line; do
	echo "$line" >>"$log"
	case $line in "gso-fwd: forwarding"*) break ;; esac
done
grep -q "gso-fwd: forwarding" "$log" ||
	{ cat "$log"; echo "demo: gso-fwd did not start" >&2; exit 1; }
grep -E '^(port|  (hardware|active|limits))' "$log"

echo "== receiver in $ns_b, sending $mb MB from $ns_a"
exec 3< <(exec ip netns exec "$ns_b" python3 -B "$peer" recv --proto tcp \
	--family 4 --addr "$ip_b" --port 5001)
read -r -t 20 -u 3 line && [ "$line" = ready ] ||
	{ echo "demo: receiver did not start" >&2; exit 1; }
sent=$(ip netns exec "$ns_a" python3 -B "$peer" send --proto tcp \
	--family 4 --addr "$ip_b" --port 5001 --bytes $((mb << 20)))
received=$(while IFS= read -r -t 60 -u 3 line; do
	echo "$line"; [ "$line" = end ] && break; done)

kill -TERM "$fwd_pid"
while IFS= read -r -t 30 -u 4 line; do echo "$line" >>"$log"; done
fwd_pid=""

field() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
sum() { grep "^summary port=$1 " "$log" | tr ' ' '\n' |
	awk -F= -v k="$2" '$1 == k { print $2 }'; }
secs=$(field "$received" seconds)
echo
echo "== transfer"
echo "sent     $(field "$sent" bytes) bytes, sha256 $(field "$sent" sha256)"
echo "received $(field "$received" bytes) bytes, sha256 $(field "$received" sha256)"
awk -v b="$(field "$received" bytes)" -v s="$secs" 'BEGIN {
	printf "throughput %.2f Gbit/s (%.1f MB in %.2f s)\n",
		b * 8 / s / 1e9, b / 1048576, s }'
echo
echo "== gso-fwd: stats lines while the data flowed (A -> port 0 -> port 1 -> B)"
grep -E '^port [01]: in' "$log" | awk '$5 != "0.000" || $11 != "0.000"' | tail -6
echo
echo "== gso-fwd: what it did on the way to B (egress port 1)"
echo "superframes received (TCP over B's MTU): $(sum 1 fwd_mtu_superframes)"
echo "segmented in software:                   $(sum 1 sw_pkts) -> $(sum 1 sw_segs) segments"
echo "passed through (ACKs, small frames):     $(sum 1 pass_pkts) to B, $(sum 0 pass_pkts) to A"
echo "partial checksums completed:             $(sum 0 fwd_partial_cksum_fixed) (B's ACKs) + $(sum 1 fwd_partial_cksum_fixed)"
echo "drops:                                   $(sum 0 drops) + $(sum 1 drops)"
grep "mbufs outstanding" "$log"
rm -f "$log"

if [ "$(field "$sent" status)" = ok ] && [ "$(field "$received" status)" = ok ] &&
	[ "$(field "$sent" sha256)" = "$(field "$received" sha256)" ] &&
	[ "$(field "$sent" bytes)" = "$(field "$received" bytes)" ]; then
	echo "demo: OK, every byte arrived intact"
else
	echo "demo: FAILED: the received stream differs"
	exit 1
fi
