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
