#!/usr/bin/python3
"""The host side of the network example's test (sdf/network.system).

    net_host.py UDP_PORT TCP_PORT

Talks to the guest through QEMU's forwarded ports on 127.0.0.1 only: sends
20 UDP datagrams of different sizes to udp_echo and checks each comes back
unchanged; opens two TCP connections to tcp_hello, checks the greeting and
that each line comes back in capitals. Prints one line per check and exits
1 on any failure. Every wait is bounded.
"""
import socket
import sys
import time

DEADLINE = time.monotonic() + 60


def udp_echo(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    ok = 0
    for i in range(20):
        payload = bytes((i * 7 + j) & 0xff for j in range(16 + i * 70))
        for attempt in range(10):      # the first datagrams may wait for ARP
            s.sendto(payload, ("127.0.0.1", port))
            try:
                data, _ = s.recvfrom(4096)
            except socket.timeout:
                if time.monotonic() > DEADLINE:
                    break
                continue
            if data == payload:
                ok += 1
            break
    print(f"HOST| udp: {ok} of 20 datagrams echoed unchanged")
    return ok == 20


def tcp_hello(port, n):
    for attempt in range(20):
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=5)
            break
        except OSError:
            time.sleep(0.5)
    else:
        print("HOST| tcp: cannot connect")
        return False
    with c:
        f = c.makefile("rwb")
        greeting = f.readline().decode(errors="replace").strip()
        f.write(b"hello, lwip\n")
        f.flush()
        answer = f.readline().decode(errors="replace").strip()
    print(f"HOST| tcp {n}: greeting {greeting!r}, answer {answer!r}")
    return (greeting.startswith("hello from tcp_hello, up ") and
            greeting.endswith(f"connection {n}") and answer == "HELLO, LWIP")


def main():
    udp, tcp = int(sys.argv[1]), int(sys.argv[2])
    good = udp_echo(udp)
    good = tcp_hello(tcp, 1) and good
    good = tcp_hello(tcp, 2) and good
    print("HOST| network checks " + ("passed" if good else "FAILED"))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
