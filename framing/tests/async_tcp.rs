//! The tokio and futures adapters over real loopback TCP.
#![cfg(all(feature = "tokio", feature = "futures"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::time::Duration;

use framing::delimited::{Delimited, Utf8Delimited};
use framing::length_delimited::{Frame, LengthDelimited};
use framing::tokio::Compat;
use framing::{AdapterError, Error};
use futures_util::{SinkExt, StreamExt};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{Framed, FramedRead};
use tokio_util::compat::TokioAsyncReadCompatExt;

async fn pair() -> (TcpStream, TcpStream) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let (a, b) = tokio::join!(TcpStream::connect(addr), l.accept());
    (a.unwrap(), b.unwrap().0)
}

async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .unwrap()
}

#[tokio::test]
async fn tokio_many_frames_both_ways() {
    within(async {
        let (a, b) = pair().await;
        let server = tokio::spawn(async move {
            let mut framed = Framed::new(b, Compat::new(LengthDelimited::new()));
            let mut n = 0u32;
            while let Some(frame) = framed.next().await {
                let frame: Frame = frame.unwrap();
                framed
                    .send(Frame::new(frame.payload.len().to_string()))
                    .await
                    .unwrap();
                n += 1;
            }
            n
        });
        let mut client = Framed::new(a, Compat::new(LengthDelimited::new()));
        for i in 0..1000usize {
            client
                .send(Frame::new(vec![7u8; i * 13 % 70_000]))
                .await
                .unwrap();
            let reply = client.next().await.unwrap().unwrap();
            assert_eq!(reply.payload, (i * 13 % 70_000).to_string());
        }
        client.get_mut().shutdown().await.unwrap();
        assert!(client.next().await.is_none());
        assert_eq!(server.await.unwrap(), 1000);
    })
    .await;
}

#[tokio::test]
async fn tokio_split_writes_and_close_mid_frame() {
    within(async {
        let (mut a, b) = pair().await;
        a.set_nodelay(true).unwrap();
        let reader = tokio::spawn(async move {
            let mut r = FramedRead::new(b, Compat::new(Utf8Delimited::new(Delimited::crlf())));
            let mut out = Vec::new();
            while let Some(item) = r.next().await {
                out.push(item);
            }
            out
        });
        for piece in [&b"li"[..], b"ne one\r", b"\nline two\r\nunfinished"] {
            a.write_all(piece).await.unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        drop(a);
        let items = reader.await.unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().unwrap(), "line one");
        assert_eq!(items[1].as_ref().unwrap(), "line two");
        assert!(matches!(
            items[2],
            Err(AdapterError::Codec(Error::Truncated { offset: 30, .. }))
        ));
    })
    .await;
}

#[tokio::test]
async fn tokio_huge_claimed_length() {
    within(async {
        let (mut a, b) = pair().await;
        a.write_all(b"\x7f\xff\xff\xff").await.unwrap();
        let mut r = FramedRead::new(b, Compat::new(LengthDelimited::new()));
        assert!(matches!(
            r.next().await,
            Some(Err(AdapterError::Codec(Error::TooLarge {
                claimed: 2_147_483_647,
                ..
            })))
        ));
        assert!(r.read_buffer().capacity() < 64 * 1024);
    })
    .await;
}

#[tokio::test]
async fn futures_adapter_over_tcp() {
    within(async {
        let (a, b) = pair().await;
        let server = tokio::spawn(async move {
            let mut framed = framing::futures::Framed::new(b.compat(), Delimited::crlf());
            let mut lines = Vec::new();
            while let Some(line) = framed.recv().await.unwrap() {
                lines.push(line);
            }
            lines
        });
        let mut client = framing::futures::Framed::new(a.compat(), Delimited::crlf());
        for i in 0..200 {
            client.send(format!("line {i}").as_str()).await.unwrap();
        }
        let (stream, _, _) = client.into_parts();
        drop(stream);
        let lines = server.await.unwrap();
        assert_eq!(lines.len(), 200);
        assert_eq!(lines[199], "line 199");
    })
    .await;
}

#[tokio::test]
async fn futures_adapter_truncated() {
    within(async {
        let (mut a, b) = pair().await;
        a.write_all(b"\x00\x00\x00\x09abc").await.unwrap();
        drop(a);
        let mut framed = framing::futures::Framed::new(b.compat(), LengthDelimited::new());
        assert!(matches!(
            framed.next().await,
            Some(Err(AdapterError::Codec(Error::Truncated { needed: 6, .. })))
        ));
        assert!(framed.next().await.is_none());
    })
    .await;
}

/// The async handshakes keep the blocking one's promises: agreement, the first frame that came
/// with the peer's hello kept for the framed stream, and the session's deadline.
#[tokio::test]
async fn async_handshakes_agree_keep_the_first_frame_and_time_out() {
    use framing::handshake::{Handshake, Hello};
    use std::time::Instant;

    within(async {
        // tokio, over TCP: the peer sends its hello and a frame in one write.
        let (mut a, mut b) = pair().await;
        let peer = tokio::spawn(async move {
            let mut first = Hello::new(4, 2, 0b110).to_bytes().to_vec();
            first.extend_from_slice(b"\x00\x00\x00\x03one");
            b.write_all(&first).await.unwrap();
            b
        });
        let mut session = Handshake::new(Hello::new(3, 1, 0b011));
        let agreed = framing::tokio::handshake(&mut a, &mut session)
            .await
            .unwrap();
        assert_eq!((agreed.version, agreed.capabilities), (3, 0b010));
        let mut framed =
            framing::tokio::framed(a, LengthDelimited::new(), session.take_remaining());
        assert_eq!(framed.next().await.unwrap().unwrap().payload, "one");
        let _b = peer.await.unwrap();

        // A peer that never says hello: the deadline ends the wait, for both adapters.
        let (mut a, _silent) = pair().await;
        let started = Instant::now();
        let mut session =
            Handshake::new(Hello::new(1, 1, 0)).with_deadline(started + Duration::from_millis(200));
        let e = framing::tokio::handshake(&mut a, &mut session)
            .await
            .unwrap_err();
        assert!(matches!(e, AdapterError::Codec(Error::Timeout)), "{e}");
        assert!(started.elapsed() >= Duration::from_millis(200));

        let (a, _silent) = pair().await;
        let mut a = a.compat();
        let started = Instant::now();
        let mut session =
            Handshake::new(Hello::new(1, 1, 0)).with_deadline(started + Duration::from_millis(200));
        let e = framing::futures::handshake(&mut a, &mut session)
            .await
            .unwrap_err();
        assert!(matches!(e, AdapterError::Codec(Error::Timeout)), "{e}");
        assert!(started.elapsed() >= Duration::from_millis(200));

        // A peer that closes inside its hello: truncated, as in the blocking adapter.
        let (a, mut b) = pair().await;
        b.write_all(&Hello::new(1, 1, 0).to_bytes()[..5])
            .await
            .unwrap();
        drop(b);
        let mut a = a.compat();
        let mut session = Handshake::new(Hello::new(1, 1, 0));
        let e = framing::futures::handshake(&mut a, &mut session)
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                AdapterError::Codec(Error::Truncated {
                    offset: 5,
                    needed: 11
                })
            ),
            "{e}"
        );
    })
    .await;
}
