#!/usr/bin/env python3
"""Abusive-client probes against a running broker on loopback, each bounded in count and time.

    bench/abuse.py fuzz        [--host H] [--port P] [--frames 200000] [--parallel 50] [--seed 1]
    bench/abuse.py connections [--host H] [--port P] [--count 10000]
    bench/abuse.py slowloris   [--host H] [--port P] [--count 500] [--seconds 30]
    add --pid PID (the broker's) to print its resident memory and thread count before and after.

fuzz: each connection logs in properly (guest/guest), then sends well-formed frames (channel.open, queue.declare,
  basic.publish with header and body, basic.get, ack...) of which about one in four is mutated: bytes flipped,
  truncated, a length or type changed, garbage appended. A connection is used until the broker closes it, then
  another is opened. Counts frames sent and how connections ended (connection.close reply code, or the socket
  dropped). Between batches and at the end a fresh, well-behaved client must still log in, publish and get back.
connections: opens COUNT connections that all log in and stay open at once (heartbeats off), checks that a fresh
  client still works with all of them open, then closes them.
slowloris: opens COUNT sockets that send the protocol header one byte a second and then nothing; the broker should
  close each at its handshake timeout. Reports when they were closed, and checks a fresh client meanwhile.
Prints one line per figure; exits 1 if a well-behaved client failed at any point.
"""
import argparse
import asyncio
import random
import struct
import sys
import time

HEADER = b'AMQP\x00\x00\x09\x01'
FRAME_END = b'\xce'


def shortstr(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack('>B', len(b)) + b


def longstr(b):
    return struct.pack('>I', len(b)) + b


def method(channel, class_id, method_id, args=b''):
    payload = struct.pack('>HH', class_id, method_id) + args
    return struct.pack('>BHI', 1, channel, len(payload)) + payload + FRAME_END


def content(channel, body, properties=b'\x00\x00'):
    header = struct.pack('>HHQ', 60, 0, len(body)) + properties
    frames = struct.pack('>BHI', 2, channel, len(header)) + header + FRAME_END
    if body:
        frames += struct.pack('>BHI', 3, channel, len(body)) + body + FRAME_END
    return frames


def start_ok():
    caps = shortstr('capabilities') + b'F' + struct.pack('>I', 0)
    props = struct.pack('>I', len(caps)) + caps
    return method(0, 10, 11, props + shortstr('PLAIN') + longstr(b'\0guest\0guest') + shortstr('en_US'))


def tune_ok(tune, heartbeat=0):
    """Accepts the broker's channel-max and frame-max (connection.tune's arguments)."""
    channel_max, frame_max, _ = struct.unpack('>HIH', tune[4:12])
    return method(0, 10, 31, struct.pack('>HIH', channel_max, frame_max, heartbeat))


def connection_open():
    return method(0, 10, 40, shortstr('/') + shortstr('') + b'\x00')


async def read_frame(reader):
    head = await reader.readexactly(7)
    kind, channel, size = struct.unpack('>BHI', head)
    payload = await reader.readexactly(size)
    end = await reader.readexactly(1)
    return kind, channel, payload, end


async def read_method(reader, class_id, method_id):
    """Reads frames until the given method; raises on connection.close."""
    while True:
        kind, channel, payload, _ = await read_frame(reader)
        if kind != 1:
            continue
        c, m = struct.unpack('>HH', payload[:4])
        if (c, m) == (10, 50):
            raise ConnectionError('connection.close %d' % struct.unpack('>H', payload[4:6])[0])
        if (c, m) == (class_id, method_id):
            return payload


async def login(host, port, heartbeat=0):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(HEADER)
    await read_method(reader, 10, 10)
    writer.write(start_ok())
    tune = await read_method(reader, 10, 30)
    writer.write(tune_ok(tune, heartbeat) + connection_open())
    await read_method(reader, 10, 41)
    return reader, writer


async def well_behaved(host, port, tag):
    """Logs in, declares a queue, publishes, gets it back; True if all of it worked within 30 s."""
    async def run():
        reader, writer = await login(host, port)
        q = ('abuse-check-%s' % tag).encode()
        writer.write(method(1, 20, 10, shortstr('')))
        await read_method(reader, 20, 11)
        # queue.declare exclusive auto-delete
        writer.write(method(1, 50, 10, b'\x00\x00' + shortstr(q) + b'\x0c' + struct.pack('>I', 0)))
        await read_method(reader, 50, 11)
        writer.write(method(1, 60, 40, b'\x00\x00' + shortstr('') + shortstr(q) + b'\x00') + content(1, b'still here'))
        writer.write(method(1, 60, 70, b'\x00\x00' + shortstr(q) + b'\x01'))  # basic.get no-ack
        while True:
            kind, channel, payload, _ = await read_frame(reader)
            if kind == 1 and payload[:4] == struct.pack('>HH', 60, 72):  # get-empty: not routed yet, ask again
                writer.write(method(1, 60, 70, b'\x00\x00' + shortstr(q) + b'\x01'))
            if kind == 3:
                ok = payload == b'still here'
                break
        writer.write(method(0, 10, 50, struct.pack('>H', 200) + shortstr('bye') + struct.pack('>HH', 0, 0)))
        writer.close()
        return ok
    try:
        return await asyncio.wait_for(run(), 30)
    except Exception as e:  # noqa: BLE001 - any failure of a well-behaved client is the finding
        print('well-behaved client failed: %r' % (e,), flush=True)
        return False


def mutate(frame, rng):
    choice = rng.randrange(6)
    b = bytearray(frame)
    if choice == 0:  # flip bytes anywhere
        for _ in range(rng.randrange(1, 4)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif choice == 1:  # truncate
        b = b[:rng.randrange(1, len(b))]
    elif choice == 2:  # change the declared size
        struct.pack_into('>I', b, 3, rng.choice([0, 1, len(b), 0x7fffffff, 0xffffffff, rng.randrange(1 << 20)]))
    elif choice == 3:  # change the frame type
        b[0] = rng.choice([0, 4, 7, 8, 9, 65, 206, 255])
    elif choice == 4:  # garbage appended
        b += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    else:  # change class/method ids
        if len(b) > 11:
            struct.pack_into('>HH', b, 7, rng.choice([10, 20, 40, 50, 60, 85, 90, 999]), rng.randrange(120))
    return bytes(b)


def valid_frames(rng):
    q = shortstr('fuzz-%d' % rng.randrange(50))
    body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
    return [
        method(1, 20, 10, shortstr('')),
        method(1, 50, 10, b'\x00\x00' + q + bytes([rng.choice([0, 2, 8, 12])]) + struct.pack('>I', 0)),
        method(1, 60, 40, b'\x00\x00' + shortstr('') + q + b'\x00') + content(1, body),
        method(1, 60, 70, b'\x00\x00' + q + b'\x00'),
        method(1, 60, 80, struct.pack('>QB', rng.randrange(5), 0)),
        method(1, 60, 10, struct.pack('>IHB', 0, rng.randrange(10), 0)),
        method(1, 85, 10, b'\x00'),
        struct.pack('>BHI', 8, 0, 0) + FRAME_END,
        method(1, 20, 40, struct.pack('>H', 200) + shortstr('bye') + struct.pack('>HH', 0, 0)),
    ]


async def fuzz_connection(host, port, rng, budget, stats):
    try:
        reader, writer = await login(host, port)
    except Exception:  # noqa: BLE001
        stats['login_failed'] += 1
        budget[0] -= 9  # a refused login counts as a round, so that the run still ends
        return
    ended = asyncio.get_running_loop().create_future()

    async def watch():
        try:
            while True:
                kind, channel, payload, _ = await read_frame(reader)
                if kind == 1 and payload[:4] == struct.pack('>HH', 20, 40):  # channel error: close-ok, go on
                    writer.write(method(channel, 20, 41))
                if kind == 1 and payload[:4] == struct.pack('>HH', 10, 50):
                    code = struct.unpack('>H', payload[4:6])[0]
                    writer.write(method(0, 10, 51))
                    if not ended.done():
                        ended.set_result('close %d' % code)
                    return
        except Exception:  # noqa: BLE001
            if not ended.done():
                ended.set_result('dropped')
    watcher = asyncio.create_task(watch())
    try:
        while budget[0] > 0 and not ended.done():
            for frame in valid_frames(rng):
                if rng.random() < 0.25:
                    frame = mutate(frame, rng)
                writer.write(frame)
                budget[0] -= 1
                stats['frames'] += 1
            try:
                await asyncio.wait_for(writer.drain(), 10)
            except Exception:  # noqa: BLE001
                break
            await asyncio.sleep(0)
        try:
            how = await asyncio.wait_for(asyncio.shield(ended), 5)
        except asyncio.TimeoutError:
            how = 'open (no error in what it sent)'
        stats[how] = stats.get(how, 0) + 1
    finally:
        watcher.cancel()
        writer.close()


async def fuzz(args):
    rng = random.Random(args.seed)
    budget = [args.frames]
    stats = {'frames': 0, 'login_failed': 0}
    healthy = True
    started = time.time()
    batch = 0
    while budget[0] > 0:
        await asyncio.gather(*(fuzz_connection(args.host, args.port, random.Random(rng.random()), budget, stats)
                               for _ in range(args.parallel)))
        batch += 1
        if batch % 20 == 0:
            healthy &= await well_behaved(args.host, args.port, 'fuzz%d' % batch)
    healthy &= await well_behaved(args.host, args.port, 'fuzz-end')
    ends = {k: v for k, v in stats.items() if k not in ('frames', 'login_failed')}
    print('fuzz: %d frames sent in %.0f s over %d connections; logins refused: %d' % (
        stats['frames'], time.time() - started, sum(ends.values()), stats['login_failed']))
    print('fuzz: connection ends: %s' % ', '.join('%s: %d' % kv for kv in sorted(ends.items())))
    return healthy


async def connections(args):
    opened = []
    started = time.time()
    failed = 0
    sem = asyncio.Semaphore(200)

    async def one():
        nonlocal failed
        async with sem:
            try:
                opened.append(await asyncio.wait_for(login(args.host, args.port), 60))
            except Exception:  # noqa: BLE001
                failed += 1
    await asyncio.gather(*(one() for _ in range(args.count)))
    print('connections: %d open at once after %.1f s, %d failed to open' % (len(opened), time.time() - started, failed))
    t = time.time()
    healthy = await well_behaved(args.host, args.port, 'many')
    print('connections: a fresh client with all of them open: %s in %.2f s' % ('ok' if healthy else 'FAILED',
                                                                           time.time() - t))
    if args.pid:
        print('connections: broker with all of them open: %s' % process_figures(args.pid))
    still = 0
    for reader, writer in opened:
        if not reader.at_eof():
            still += 1
        writer.close()
    print('connections: %d still open when closed by the client' % still)
    return healthy and failed == 0


async def slowloris(args):
    closed_after = []
    started = time.time()

    async def one():
        try:
            reader, writer = await asyncio.open_connection(args.host, args.port)
        except OSError:
            return
        opened = time.time()
        try:
            for byte in HEADER[:-1]:  # one byte a second, never the last one
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(1)
            while await asyncio.wait_for(reader.read(4096), args.seconds):
                pass
            closed_after.append(time.time() - opened)
        except (ConnectionError, OSError):
            closed_after.append(time.time() - opened)
        except asyncio.TimeoutError:
            pass  # still open after --seconds of silence
        finally:
            writer.close()

    tasks = [asyncio.create_task(one()) for _ in range(args.count)]
    await asyncio.sleep(3)
    healthy = await well_behaved(args.host, args.port, 'slow')
    print('slowloris: a fresh client with %d slow sockets open: %s' % (args.count, 'ok' if healthy else 'FAILED'))
    await asyncio.gather(*tasks)
    closed_after.sort()
    if closed_after:
        print('slowloris: %d of %d closed by the broker, after %.1f s (first) / %.1f s (median) / %.1f s (last); '
              'whole run %.0f s' % (len(closed_after), args.count, closed_after[0],
                                    closed_after[len(closed_after) // 2], closed_after[-1], time.time() - started))
    else:
        print('slowloris: none of %d closed by the broker within %d s' % (args.count, args.seconds))
    return healthy


def process_figures(pid):
    if not pid:
        return None
    try:
        with open('/proc/%d/status' % pid) as f:
            fields = dict(line.split(':', 1) for line in f)
        return '%s resident, %s threads' % (fields['VmRSS'].strip(), fields['Threads'].strip())
    except OSError as e:
        return 'unreadable: %s' % e


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('probe', choices=['fuzz', 'connections', 'slowloris'])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=5672)
    parser.add_argument('--pid', type=int, help="the broker's pid, to report its memory before and after")
    parser.add_argument('--frames', type=int, default=200000)
    parser.add_argument('--parallel', type=int, default=50)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--count', type=int)
    parser.add_argument('--seconds', type=int, default=30)
    args = parser.parse_args()
    if args.count is None:
        args.count = 10000 if args.probe == 'connections' else 500
    before = process_figures(args.pid)
    if before:
        print('broker before: %s' % before)
    healthy = asyncio.run({'fuzz': fuzz, 'connections': connections, 'slowloris': slowloris}[args.probe](args))
    after = process_figures(args.pid)
    if after:
        print('broker after: %s' % after)
    sys.exit(0 if healthy else 1)


if __name__ == '__main__':
    main()
