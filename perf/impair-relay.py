#!/usr/bin/env python3
"""A lossy long-haul path on loopback, for perf/srt-impairment.sh (this kernel has no netem).

udp LISTEN_PORT TARGET_PORT: each datagram, either way, is dropped with probability LOSS, else
  delivered after DELAY +- uniform JITTER ms (datagrams may reorder, as on a real path).
tcp LISTEN_PORT TARGET_PORT: TCP cannot be made to lose packets from user space, so its loss is
  modelled: every byte is delayed DELAY +- JITTER ms (never reordered); each 1448-byte segment is
  "lost" with probability LOSS and, with everything behind it (TCP delivers in order), waits one
  more round trip (2 x DELAY, a fast retransmit); and the media direction is paced at the rate TCP
  reaches at that loss and round trip (Mathis et al.: 1.22 x MSS / (RTT x sqrt(LOSS))).
Options: --loss 0.05 --delay-ms 150 --jitter-ms 20 --seed 19. Says "listening on ..." on stderr once
its port is bound (wait for it before connecting: Python's start-up can take seconds on a busy
machine); runs until killed; prints its counters on SIGTERM.
"""
import argparse, asyncio, math, os, random, signal, sys, time

MSS = 1448

def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["udp", "tcp"])
    p.add_argument("listen", type=int)
    p.add_argument("target", type=int)
    p.add_argument("--loss", type=float, default=0.05)
    p.add_argument("--delay-ms", type=float, default=150)
    p.add_argument("--jitter-ms", type=float, default=20)
    p.add_argument("--seed", type=int, default=19)
    a = p.parse_args()
    rng = random.Random(a.seed)
    stats = {"dropped": 0, "delivered": 0, "held": 0}
    loop = asyncio.new_event_loop()

    def delay():
        return max(0.0, (a.delay_ms + rng.uniform(-a.jitter_ms, a.jitter_ms)) / 1000)

    if a.mode == "udp":
        class Back(asyncio.DatagramProtocol):
            def __init__(self, front, client):
                self.front, self.client = front, client
            def datagram_received(self, data, _):
                forward(self.front.transport, data, self.client)

        class Front(asyncio.DatagramProtocol):
            def __init__(self):
                self.backs = {}
            def connection_made(self, transport):
                self.transport = transport
            def datagram_received(self, data, client):
                back = self.backs.get(client)
                if back is None:
                    back = self.backs[client] = [None, []]
                    async def open_back(client=client, back=back):
                        t, _ = await loop.create_datagram_endpoint(lambda: Back(self, client), local_addr=("127.0.0.1", 0))
                        back[0] = t
                        for d in back[1]:
                            forward(t, d, ("127.0.0.1", a.target))
                        back[1] = None
                    loop.create_task(open_back())
                if back[0] is None:
                    back[1].append(data)
                else:
                    forward(back[0], data, ("127.0.0.1", a.target))

        def forward(transport, data, to):
            if rng.random() < a.loss:
                stats["dropped"] += 1
                return
            def send():
                stats["delivered"] += 1
                transport.sendto(data, to)
            loop.call_later(delay(), send)

        loop.run_until_complete(loop.create_datagram_endpoint(Front, local_addr=("127.0.0.1", a.listen)))
        print(f"udp relay: listening on 127.0.0.1:{a.listen}", file=sys.stderr, flush=True)
    else:
        rtt = 2 * a.delay_ms / 1000
        rate = 1.22 * MSS / (rtt * math.sqrt(a.loss)) if a.loss > 0 else 0

        async def pump(reader, writer, paced):
            # Release times only grow: TCP delivers in order, so a held segment holds what follows.
            release = 0.0
            queue = asyncio.Queue()
            async def deliver():
                while True:
                    at, data = await queue.get()
                    if data is None:
                        break
                    wait = at - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    writer.write(data)
                    await writer.drain()
                writer.close()
            task = loop.create_task(deliver())
            paced_until = time.monotonic()
            while True:
                data = await reader.read(MSS)
                if not data:
                    break
                now = time.monotonic()
                at = now + delay()
                if rng.random() < a.loss:
                    at += rtt
                    stats["held"] += 1
                if paced and rate > 0:
                    paced_until = max(paced_until, now) + len(data) / rate
                    at = max(at, paced_until)
                release = max(release, at)
                stats["delivered"] += 1
                await queue.put((release, data))
            await queue.put((0, None))
            await task

        async def handle(client_reader, client_writer):
            target_reader, target_writer = await asyncio.open_connection("127.0.0.1", a.target)
            # Client to target is the publisher's media: paced; the other way carries acknowledgements.
            await asyncio.gather(pump(client_reader, target_writer, True), pump(target_reader, client_writer, False), return_exceptions=True)

        loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", a.listen))
        print(f"tcp relay: listening on 127.0.0.1:{a.listen}; model: rtt {rtt * 1000:.0f} ms, pace {rate * 8 / 1000:.0f} kbit/s", file=sys.stderr, flush=True)

    def stop(*_):
        print(f"relay {a.mode}: {stats}", file=sys.stderr, flush=True)
        # At once: connections still being relayed have nothing left to say.
        os._exit(0)
    loop.add_signal_handler(signal.SIGTERM, stop)
    loop.add_signal_handler(signal.SIGINT, stop)
    loop.run_forever()

if __name__ == "__main__":
    main()
