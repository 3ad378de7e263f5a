#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/rdma-setup.sh: creates a soft RDMA device (rdma_rxe, RoCE over an
# ordinary network interface) so keel-rdma.so can be tried and its
# end-to-end tests (tests/modules/rdma/e2e.tcl) can run without RDMA
# hardware. Says plainly when the kernel or the container does not allow it.
#
# Usage: tools/rdma-setup.sh [NETDEV]     (default: the interface of the
#        default route, else lo). Needs root, iproute2's `rdma` tool and a
#        kernel with the rdma_rxe module. Exit 0 when a device exists at the
#        end (it prints the address to use), 1 when it cannot make one.
set -u

say() { echo "rdma-setup: $*"; }
fail() { echo "rdma-setup: $*" >&2; exit 1; }

netdev="${1:-}"
if [ -z "$netdev" ]; then
    netdev=$(ip -o -4 route show default 2>/dev/null | awk '{print $5; exit}')
    [ -n "$netdev" ] || netdev=lo
fi

print_address() {
    local addr
    addr=$(ip -4 -o addr show dev "$1" 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}')
    if [ -n "$addr" ]; then
        say "use address $addr:  export KEEL_RDMA_ADDR=$addr"
    else
        say "netdev $1 has no IPv4 address: give it one, then export KEEL_RDMA_ADDR=<it>"
    fi
}

existing=$(ls /sys/class/infiniband 2>/dev/null)
if [ -n "$existing" ]; then
    say "an RDMA device already exists: $existing"
    command -v rdma >/dev/null && rdma link show 2>/dev/null
    dev_netdev=$(rdma link show 2>/dev/null | sed -n 's/.*netdev \([^ ]*\).*/\1/p' | head -1)
    print_address "${dev_netdev:-$netdev}"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || fail "must run as root (loading rdma_rxe and adding a link need it)"
command -v rdma >/dev/null || fail "iproute2's 'rdma' tool is missing: apt-get install iproute2"
ip link show "$netdev" >/dev/null 2>&1 || fail "no network interface named $netdev"

# rdma_rxe may be built in, so a failed modprobe is only noted; the link
# add below decides.
module_note=""
if ! grep -qw rdma_rxe /proc/modules 2>/dev/null; then
    if ! command -v modprobe >/dev/null; then
        module_note="; no modprobe here to load rdma_rxe (a container usually cannot load kernel modules: load it on the host)"
    elif ! out=$(modprobe rdma_rxe 2>&1); then
        module_note="; modprobe rdma_rxe failed: ${out:-no output} (a kernel without CONFIG_RDMA_RXE has no soft RoCE)"
    fi
fi

if ! out=$(rdma link add rxe0 type rxe netdev "$netdev" 2>&1); then
    case "$out" in
        *NETLINK_RDMA*) why="the RDMA netlink interface is not reachable (no rdma_rxe/ib_core in this kernel, or a network namespace that hides it)" ;;
        *) why="$out" ;;
    esac
    fail "cannot create a soft RDMA device: 'rdma link add rxe0 type rxe netdev $netdev' failed: $why$module_note. (Some kernels refuse loopback: try a veth pair or a dummy interface with an address.)"
fi

[ -n "$(ls /sys/class/infiniband 2>/dev/null)" ] || fail "rdma link add reported success but /sys/class/infiniband is empty"
say "created rxe0 on $netdev"
rdma link show
command -v ibv_devices >/dev/null && ibv_devices
print_address "$netdev"
say "memory registration pins pages: raise 'ulimit -l' (e.g. unlimited) for keel-server and keel-rdma-cli"
exit 0
