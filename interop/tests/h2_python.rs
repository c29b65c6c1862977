//! Python's `h2` package (hyper-h2, a client independent of nghttp2) against the `h2_server`
//! example on 127.0.0.1: three concurrent streams on one connection (GET /hello, a POST /echo
//! larger than the initial window, sent as the server's WINDOW_UPDATEs allow, and GET /big,
//! acknowledged as it is read), and a PING.
//!
//! This test fails (never skips) when `python3` or its `h2` module is missing: scripts/test.sh
//! installs it with pip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::Command;
use std::time::Duration;

use interop::{find_program, run, start_example};

const RUN_TIME: Duration = Duration::from_secs(60);

const SCRIPT: &str = r#"
import socket, sys, zlib
import h2.connection, h2.config, h2.events

port = int(sys.argv[1])
upload = bytes(((i * 7 + i // 16384) % 256) for i in range(300000))
sock = socket.create_connection(("127.0.0.1", port), timeout=20)
conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
conn.initiate_connection()
sock.sendall(conn.data_to_send())

def head(method, path, extra=()):
    return [(":method", method), (":path", path), (":scheme", "http"),
            (":authority", "127.0.0.1:%d" % port)] + list(extra)

paths = {}
s = conn.get_next_available_stream_id()
conn.send_headers(s, head("GET", "/hello"), end_stream=True); paths[s] = "/hello"
post = conn.get_next_available_stream_id()
conn.send_headers(post, head("POST", "/echo", [("content-length", str(len(upload)))]))
paths[post] = "/echo"
s = conn.get_next_available_stream_id()
conn.send_headers(s, head("GET", "/big"), end_stream=True); paths[s] = "/big"
conn.ping(b"h2python")
sent = 0

def pump():
    global sent
    while sent < len(upload):
        room = min(conn.local_flow_control_window(post), conn.max_outbound_frame_size)
        if room <= 0:
            return
        chunk = upload[sent:sent + room]
        sent += len(chunk)
        conn.send_data(post, chunk, end_stream=(sent == len(upload)))

pump()
sock.sendall(conn.data_to_send())
status, bodies, done, pinged = {}, {s: b"" for s in paths}, set(), False
while len(done) < len(paths) or not pinged:
    data = sock.recv(65536)
    if not data:
        raise SystemExit("the server closed the connection")
    for event in conn.receive_data(data):
        if isinstance(event, h2.events.ResponseReceived):
            status[event.stream_id] = dict(event.headers)[b":status"].decode()
        elif isinstance(event, h2.events.DataReceived):
            bodies[event.stream_id] += event.data
            conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded):
            done.add(event.stream_id)
        elif isinstance(event, h2.events.WindowUpdated):
            pump()
        elif isinstance(event, h2.events.PingAckReceived):
            pinged = event.ping_data == b"h2python"
        elif isinstance(event, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
            raise SystemExit("unexpected %r" % event)
    sock.sendall(conn.data_to_send())
conn.close_connection()
sock.sendall(conn.data_to_send())
for s in sorted(paths):
    body = bodies[s]
    if paths[s] == "/echo":
        print("/echo", status[s], len(body), body == upload)
    elif paths[s] == "/big":
        big = bytes(((i % 251) ^ (i // 16384)) & 0xff for i in range(1 << 20))
        print("/big", status[s], len(body), body == big)
    else:
        print(paths[s], status[s], len(body), body.decode().strip())
print("done")
"#;

#[test]
fn python_h2_client_against_h2_server() {
    let python = find_program("python3", &[], "python3").unwrap_or_else(|e| panic!("{e}"));
    let (_server, port) = start_example("h2_server", &[], RUN_TIME * 2).unwrap();
    let mut command = Command::new(python);
    command.args(["-c", SCRIPT, &port.to_string()]);
    let out = run("python3", &mut command, RUN_TIME).unwrap();
    assert!(
        out.status.success(),
        "python3 h2 client failed ({}): {}",
        out.status,
        out.stderr
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text, "/hello 200 14 Hello, world!\n/echo 200 300000 True\n/big 200 1048576 True\ndone\n",
        "{}",
        out.stderr
    );
}
