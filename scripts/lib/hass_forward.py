"""Forward TCP connections between a TCP port and a unix socket.

Home Assistant runs in its own network namespace (see ``scripts/develop``).
Two of these forwarders bridge its port to the host through a unix socket in
a directory both namespaces see:

    host:  python hass_forward.py tcp-to-unix 127.0.0.1 8123 SOCKET
    netns: python hass_forward.py unix-to-tcp SOCKET 127.0.0.1 8123

Only the standard library is used, so any Python >= 3.11 runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
from pathlib import Path
import signal
import sys

CHUNK = 65536


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy bytes from reader to writer until EOF, then half-close the writer."""
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except ConnectionError, OSError:
        writer.close()


async def _bridge(
    client_reader: asyncio.StreamReader,
    client_writer: asyncio.StreamWriter,
    connect: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
) -> None:
    """Join one accepted connection with a new upstream connection."""
    try:
        up_reader, up_writer = await connect
    except OSError:
        client_writer.close()
        return
    try:
        await asyncio.gather(
            _pipe(client_reader, up_writer), _pipe(up_reader, client_writer)
        )
    finally:
        for writer in (client_writer, up_writer):
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()


async def _serve(args: argparse.Namespace) -> None:
    """Listen on one side and forward every connection to the other side."""

    def upstream() -> asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
        if args.mode == "tcp-to-unix":
            return asyncio.ensure_future(asyncio.open_unix_connection(args.target))
        return asyncio.ensure_future(
            asyncio.open_connection(args.target_host, args.target_port)
        )

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await _bridge(reader, writer, upstream())

    server: asyncio.Server
    if args.mode == "tcp-to-unix":
        server = await asyncio.start_server(
            handle, args.listen_host, args.listen_port, reuse_address=True
        )
    else:
        server = await asyncio.start_unix_server(handle, args.listen)

    if args.pidfile:
        await asyncio.to_thread(
            Path(args.pidfile).write_text, f"{os.getpid()}\n", encoding="ascii"
        )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def _remove_socket(path: str) -> None:
    """Remove a stale unix socket file."""
    with contextlib.suppress(FileNotFoundError):
        Path(path).unlink()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the forwarder until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pidfile", help="write the process id here once listening")
    modes = parser.add_subparsers(dest="mode", required=True)
    to_unix = modes.add_parser("tcp-to-unix", help="listen on TCP, connect to a socket")
    to_unix.add_argument("listen_host")
    to_unix.add_argument("listen_port", type=int)
    to_unix.add_argument("target", help="unix socket path")
    to_tcp = modes.add_parser("unix-to-tcp", help="listen on a socket, connect to TCP")
    to_tcp.add_argument("listen", help="unix socket path")
    to_tcp.add_argument("target_host")
    to_tcp.add_argument("target_port", type=int)
    args = parser.parse_args(argv)
    if args.mode == "unix-to-tcp":
        _remove_socket(args.listen)
    try:
        asyncio.run(_serve(args))
    except OSError as err:
        print(f"hass_forward: {err}", file=sys.stderr)
        return 1
    finally:
        if args.mode == "unix-to-tcp":
            _remove_socket(args.listen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
