"""A Pinpoint collector stand-in for tests/runtime.rs: one gRPC server per port, on a
loopback address (--host, 127.0.0.2 by default).

Every call, to any service and method, is accepted: the server reads the request messages
until the client half-closes and then answers with one message `08 01` (field 1 = true:
a `PResult` with success set; a message type without that field ignores it as unknown,
so `google.protobuf.Empty` and `PPing` read it too). No Pinpoint .proto files are needed.

Each event is one JSON line on stdout: {"event": "call", "port", "method", "metadata"}
when a call starts (the metadata is the agent's gRPC headers: `agentid`, `agentname`,
`applicationname`, ...; pinpoint-apm/pinpoint, grpc/src/main/java/com/navercorp/pinpoint/
grpc/Header.java), and {"event": "message", "port", "method", "bytes"} for each request
message. "ready" is printed once every port listens. Exits when stdin closes, or after
--lifetime seconds at most.

    python collector.py --host 127.0.0.2 --lifetime 240 9991 9992 9993
"""

import argparse
import json
import sys
import threading
from concurrent import futures

import grpc

RESULT_OK = b"\x08\x01"
LOCK = threading.Lock()


def emit(record):
    with LOCK:
        sys.stdout.write(json.dumps(record, sort_keys=True) + "\n")
        sys.stdout.flush()


def identity(raw):
    return raw


class AnyMethod(grpc.GenericRpcHandler):
    """Accepts every method as a stream of requests answered by one message."""

    def __init__(self, port):
        self.port = port

    def service(self, details):
        method = details.method
        metadata = {}
        for key, value in details.invocation_metadata:
            metadata[key] = value if isinstance(value, str) else value.hex()
        emit({"event": "call", "port": self.port, "method": method, "metadata": metadata})
        port = self.port

        def handle(requests, context):
            for message in requests:
                emit({"event": "message", "port": port, "method": method, "bytes": len(message)})
            yield RESULT_OK

        return grpc.stream_stream_rpc_method_handler(
            handle, request_deserializer=identity, response_serializer=identity
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.2")
    parser.add_argument("--lifetime", type=float, default=240.0)
    parser.add_argument("ports", type=int, nargs="+")
    args = parser.parse_args()
    servers = []
    for port in sorted(set(args.ports)):
        server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=32),
            handlers=[AnyMethod(port)],
            maximum_concurrent_rpcs=64,
        )
        if server.add_insecure_port(f"{args.host}:{port}") != port:
            sys.stderr.write(f"collector: cannot listen on {args.host}:{port}\n")
            sys.exit(1)
        server.start()
        servers.append(server)
    emit({"event": "ready", "ports": sorted(set(args.ports))})

    done = threading.Event()

    def wait_stdin():
        sys.stdin.read()
        done.set()

    threading.Thread(target=wait_stdin, daemon=True).start()
    done.wait(args.lifetime)
    for server in servers:
        server.stop(grace=None)


if __name__ == "__main__":
    main()
