//! Criterion benchmarks of whole HTTP/2 connections in memory (RFC 9113), issue 12: our sans-IO
//! client and server [`Connection`]s driven against each other by a loop that hands each one's
//! `poll_transmit` to the other's `receive` (no sockets, no runtime), against h2 0.4's client
//! and server over `tokio::io::duplex` on a current-thread tokio runtime.
//!
//! | group | what |
//! |---|---|
//! | `h2_requests` | 10,000 GET requests with 3 header fields, each answered 200 with a 16-octet body; at most 100 streams open at once (our default SETTINGS_MAX_CONCURRENT_STREAMS; h2's client is held to the same) |
//! | `h2_data` | 16 GET requests, each answered with 6.25 MiB of DATA (100 MiB in all) sent as flow control allows, the client releasing each chunk as it arrives |
//!
//! Our server queues at most 64 KiB per stream per turn of the loop (an application writing
//! from a file), and what it queued is handed to the client at once (a driver writing to a
//! socket as it goes); h2's server task sends what
//! `poll_capacity` grants, through a 256 KiB duplex pipe.
//!
//! Both stacks get the same settings: SETTINGS_INITIAL_WINDOW_SIZE 1 MiB, a connection window of
//! 16 MiB, SETTINGS_MAX_FRAME_SIZE 16,384 (the default). A fresh pair of connections per
//! iteration. Throughput: requests (elements) or response body octets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use http_codec::h2::{Config, ConnEvent, Connection};
use http_codec::{Request, Response};

const REQUESTS: usize = 10_000;
const CONCURRENCY: usize = 100;
const SMALL_BODY: &[u8] = b"0123456789abcdef";
const DATA_STREAMS: usize = 16;
const DATA_TOTAL: usize = 100 << 20;
const PER_STREAM: usize = DATA_TOTAL / DATA_STREAMS;
const WINDOW: u32 = 1 << 20;
/// The most a server queues on one stream per turn of the loop (an application writing from a
/// file in 64 KiB reads); each turn's output then goes to the client.
const CHUNK: usize = 64 * 1024;
const CONN_WINDOW: u32 = 16 << 20;

fn body() -> Bytes {
    Bytes::from(
        (0..PER_STREAM)
            .map(|i| (i % 251) as u8)
            .collect::<Vec<u8>>(),
    )
}

fn config() -> Config {
    Config::default()
        .initial_window_size(WINDOW)
        .connection_window_size(CONN_WINDOW)
}

/// Hands everything `from` queued to `to`; whether anything moved.
fn pump(from: &mut Connection, to: &mut Connection) -> bool {
    let mut moved = false;
    while let Some(b) = from.poll_transmit() {
        to.receive(&b);
        moved = true;
    }
    moved
}

/// Ours: `requests` requests, each answered with `body` (sliced, zero-copy) as flow control
/// allows. Returns the response body octets the client received.
fn ours(requests: usize, concurrency: usize, body: &Bytes) -> usize {
    let mut client = Connection::client(config());
    let mut server = Connection::server(config());
    let (mut sent, mut done, mut received) = (0, 0, 0);
    let mut open = 0;
    // Server: the body octets still to queue, per stream.
    let mut pending: HashMap<u32, usize> = HashMap::new();
    while done < requests {
        let mut progress = false;
        while sent < requests && open < concurrency {
            let request = Request::get(format!("/item/{sent}"))
                .header("Host", "bench.test")
                .unwrap()
                .header("User-Agent", "h2-bench")
                .unwrap()
                .header("Accept", "*/*")
                .unwrap();
            match client.send_request(request, true) {
                Ok(_) => {
                    sent += 1;
                    open += 1;
                    progress = true;
                }
                Err(_) => break,
            }
        }
        progress |= pump(&mut client, &mut server);
        while let Some(event) = server.poll_event().unwrap() {
            progress = true;
            if let ConnEvent::Request { stream, .. } = event {
                let response = Response::new(200)
                    .header("content-length", body.len().to_string())
                    .unwrap();
                server.send_response(stream, response, false).unwrap();
                pending.insert(stream, body.len());
            }
        }
        pending.retain(|&stream, left| {
            let room = server.send_capacity(stream).min(*left).min(CHUNK);
            if room > 0 {
                let start = body.len() - *left;
                *left -= room;
                server
                    .send_data(stream, body.slice(start..start + room), *left == 0)
                    .unwrap();
                // Written out at once, as a driver writing to a socket would.
                pump(&mut server, &mut client);
                progress = true;
            }
            *left > 0
        });
        progress |= pump(&mut server, &mut client);
        while let Some(event) = client.poll_event().unwrap() {
            progress = true;
            match event {
                ConnEvent::Response { end_stream, .. } => assert!(!end_stream),
                ConnEvent::Data {
                    stream,
                    data,
                    end_stream,
                } => {
                    received += data.len();
                    client.release_capacity(stream, data.len() as u32);
                    if end_stream {
                        done += 1;
                        open -= 1;
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(progress, "the connections are stuck");
    }
    received
}

/// h2: the same exchange over `tokio::io::duplex`, client and server as tasks of a
/// current-thread runtime.
async fn h2_run(requests: usize, concurrency: usize, body: Bytes) -> usize {
    let (client_io, server_io) = tokio::io::duplex(256 * 1024);
    let server = tokio::spawn(async move {
        let mut conn = h2::server::Builder::new()
            .initial_window_size(WINDOW)
            .initial_connection_window_size(CONN_WINDOW)
            .max_concurrent_streams(CONCURRENCY as u32)
            .handshake::<_, Bytes>(server_io)
            .await
            .unwrap();
        while let Some(accepted) = conn.accept().await {
            let (_request, mut respond) = accepted.unwrap();
            let body = body.clone();
            tokio::spawn(async move {
                let response = http::Response::builder()
                    .status(200)
                    .header("content-length", body.len())
                    .body(())
                    .unwrap();
                let mut send = respond.send_response(response, false).unwrap();
                let mut at = 0;
                while at < body.len() {
                    send.reserve_capacity(body.len() - at);
                    let room = std::future::poll_fn(|cx| send.poll_capacity(cx))
                        .await
                        .unwrap()
                        .unwrap();
                    let n = room.min(body.len() - at);
                    if n == 0 {
                        continue;
                    }
                    send.send_data(body.slice(at..at + n), at + n == body.len())
                        .unwrap();
                    at += n;
                }
            });
        }
    });
    let (send, conn) = h2::client::Builder::new()
        .initial_window_size(WINDOW)
        .initial_connection_window_size(CONN_WINDOW)
        .handshake::<_, Bytes>(client_io)
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut received = 0;
    let mut next = 0;
    while next < requests {
        let batch = concurrency.min(requests - next);
        let mut tasks = Vec::with_capacity(batch);
        for i in next..next + batch {
            let mut send = send.clone();
            tasks.push(tokio::spawn(async move {
                let request = http::Request::builder()
                    .uri(format!("http://bench.test/item/{i}"))
                    .header("user-agent", "h2-bench")
                    .header("accept", "*/*")
                    .body(())
                    .unwrap();
                send = send.ready().await.unwrap();
                let (response, _) = send.send_request(request, true).unwrap();
                let mut body = response.await.unwrap().into_body();
                let mut n = 0;
                while let Some(chunk) = body.data().await {
                    let chunk = chunk.unwrap();
                    n += chunk.len();
                    body.flow_control().release_capacity(chunk.len()).unwrap();
                }
                n
            }));
        }
        for t in tasks {
            received += t.await.unwrap();
        }
        next += batch;
    }
    drop(send);
    server.abort();
    received
}

fn h2_blocking(
    rt: &tokio::runtime::Runtime,
    requests: usize,
    concurrency: usize,
    body: &Bytes,
) -> usize {
    rt.block_on(h2_run(requests, concurrency, body.clone()))
}

fn requests(c: &mut Criterion) {
    let small = Bytes::from_static(SMALL_BODY);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert_eq!(
        ours(REQUESTS, CONCURRENCY, &small),
        REQUESTS * SMALL_BODY.len()
    );
    assert_eq!(
        h2_blocking(&rt, REQUESTS, CONCURRENCY, &small),
        REQUESTS * SMALL_BODY.len()
    );
    let mut group = c.benchmark_group("h2_requests");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(REQUESTS as u64));
    group.bench_function(BenchmarkId::new("ours", "10k-small"), |b| {
        b.iter(|| black_box(ours(REQUESTS, CONCURRENCY, &small)));
    });
    group.bench_function(BenchmarkId::new("h2", "10k-small"), |b| {
        b.iter(|| black_box(h2_blocking(&rt, REQUESTS, CONCURRENCY, &small)));
    });
    group.finish();
}

fn data(c: &mut Criterion) {
    let body = body();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("h2_data");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Bytes(DATA_TOTAL as u64));
    group.bench_function(BenchmarkId::new("ours", "100MiB-16-streams"), |b| {
        b.iter(|| assert_eq!(ours(DATA_STREAMS, DATA_STREAMS, &body), DATA_TOTAL));
    });
    group.bench_function(BenchmarkId::new("h2", "100MiB-16-streams"), |b| {
        b.iter(|| {
            assert_eq!(
                h2_blocking(&rt, DATA_STREAMS, DATA_STREAMS, &body),
                DATA_TOTAL
            )
        });
    });
    group.finish();
}

criterion_group!(benches, requests, data);
criterion_main!(benches);
