#!/usr/bin/env python3
"""Floods a broker with bad connections on loopback: failed logins and garbage protocol headers.

    bench/bad-connections.py [--host 127.0.0.1] [--port 5672] [--logins 5000] [--garbage 5000] [--parallel 200]

Each failed login opens a socket, sends the AMQP 0-9-1 header, reads connection.start, answers start-ok (PLAIN,
user "guest", a wrong password; capabilities without authentication_failure_close unless --close-capability) and
waits until the broker closes the socket. Each garbage connection sends 8 random bytes and waits for the close.
At most --parallel sockets are open at once. Prints how many of each ended and how long it took. Used to measure
the log volume a flood of rejected connections causes (run it with the broker's log going to a file).
"""
import argparse
import asyncio
import os
import struct
import time


def shortstr(s):
    b = s.encode()
    return struct.pack('>B', len(b)) + b


def longstr(b):
    return struct.pack('>I', len(b)) + b


def table(entries):
    body = b''
    for k, v in entries.items():
        body += shortstr(k)
        if isinstance(v, bool):
            body += b't' + struct.pack('>B', 1 if v else 0)
        elif isinstance(v, dict):
            body += b'F' + table(v)
        else:
            body += b'S' + longstr(str(v).encode())
    return struct.pack('>I', len(body)) + body


def start_ok(close_capability):
    caps = {'publisher_confirms': True}
    if close_capability:
        caps['authentication_failure_close'] = True
    args = (table({'product': 'bad-connections', 'capabilities': caps}) + shortstr('PLAIN')
            + longstr(b'\0guest\0wrong-password') + shortstr('en_US'))
    payload = struct.pack('>HH', 10, 11) + args
    return struct.pack('>BHI', 1, 0, len(payload)) + payload + b'\xce'


async def drain(reader):
    try:
        while await reader.read(65536):
            pass
    except (ConnectionError, OSError):
        pass


async def failed_login(host, port, close_capability, results):
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b'AMQP\x00\x00\x09\x01')
        header = await reader.readexactly(7)
        size = struct.unpack('>I', header[3:7])[0]
        await reader.readexactly(size + 1)  # connection.start and its frame end
        writer.write(start_ok(close_capability))
        await drain(reader)
        writer.close()
        results['login'] += 1
    except Exception as e:  # counted, so a broken run is visible
        results['error ' + type(e).__name__] = results.get('error ' + type(e).__name__, 0) + 1


async def garbage(host, port, results):
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(os.urandom(8).replace(b'A', b'B'))
        await drain(reader)
        writer.close()
        results['garbage'] += 1
    except Exception as e:
        results['error ' + type(e).__name__] = results.get('error ' + type(e).__name__, 0) + 1


async def main():
    p = argparse.ArgumentParser()
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=5672)
    p.add_argument('--logins', type=int, default=5000)
    p.add_argument('--garbage', type=int, default=5000)
    p.add_argument('--parallel', type=int, default=200)
    p.add_argument('--close-capability', action='store_true')
    a = p.parse_args()
    results = {'login': 0, 'garbage': 0}
    gate = asyncio.Semaphore(a.parallel)

    async def bounded(coro):
        async with gate:
            await coro

    started = time.monotonic()
    jobs = [bounded(failed_login(a.host, a.port, a.close_capability, results)) for _ in range(a.logins)]
    jobs += [bounded(garbage(a.host, a.port, results)) for _ in range(a.garbage)]
    await asyncio.gather(*jobs)
    print(f"{results} in {time.monotonic() - started:.1f} s")


asyncio.run(main())
