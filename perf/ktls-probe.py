#!/usr/bin/env python3
"""Whether this kernel offers kernel TLS (the "tls" TCP upper-layer protocol) to a connected socket.

    python3 perf/ktls-probe.py        exit 0: available; 1: not available (the reason on stdout)

Kernel TLS is the first half of what the appliance would need to encrypt in the kernel; the other
is the traffic keys of each handshake, which .NET's SslStream does not expose (see README,
"Kernel TLS"). It makes a loopback connection, asks for the ULP with
setsockopt(SOL_TCP, TCP_ULP, "tls") and prints what the kernel said, with the ULPs it lists.
"""
import errno
import os
import platform
import socket
import sys

TCP_ULP = getattr(socket, "TCP_ULP", 31)  # linux/tcp.h


def available_ulps():
    try:
        with open("/proc/sys/net/ipv4/tcp_available_ulp", encoding="ascii") as f:
            return f.read().split() or ["(none)"]
    except OSError as e:
        return [f"(unreadable: {e.strerror})"]


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    try:
        client.setsockopt(socket.SOL_TCP, TCP_ULP, b"tls")
        verdict, code = "available", 0
    except OSError as e:
        name = errno.errorcode.get(e.errno, str(e.errno))
        hint = " (no tls module: CONFIG_TLS is off or tls.ko is not loaded)" if e.errno == errno.ENOENT else ""
        verdict, code = f"not available: setsockopt(SOL_TCP, TCP_ULP, \"tls\") -> {name} ({os.strerror(e.errno)}){hint}", 1
    finally:
        for s in (client, server, listener):
            s.close()
    print(f"kernel TLS on {platform.release()}: {verdict}; tcp_available_ulp: {' '.join(available_ulps())}")
    return code


if __name__ == "__main__":
    sys.exit(main())
