//! The blocking adapter over real loopback TCP.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use framing::blocking::{Framed, handshake};
use framing::delimited::Delimited;
use framing::handshake::{Agreement, DEFAULT_MAGIC, Handshake, Hello};
use framing::length_delimited::{Frame, LengthDelimited};
use framing::{AdapterError, Error};

fn listener() -> (TcpListener, std::net::SocketAddr) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    (l, addr)
}

fn connect(addr: std::net::SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

fn typed_codec() -> LengthDelimited {
    LengthDelimited::builder().known_types([1, 2]).build()
}

#[test]
fn many_frames_both_ways_after_a_handshake() {
    let (l, addr) = listener();
    let server = thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut session = Handshake::new(Hello {
            magic: DEFAULT_MAGIC,
            version: 7,
            min_version: 2,
            capabilities: 0b110,
        });
        let agreed = handshake(&mut s, &mut session).unwrap();
        let mut framed = Framed::from_parts(s, typed_codec(), session.take_remaining());
        let mut n = 0;
        while let Some(frame) = framed.recv().unwrap() {
            let mut reply = frame.payload.to_vec();
            reply.reverse();
            framed.send(Frame::typed(2, reply)).unwrap();
            n += 1;
        }
        (agreed, n)
    });
    let mut s = connect(addr);
    let mut session = Handshake::new(Hello {
        magic: DEFAULT_MAGIC,
        version: 5,
        min_version: 1,
        capabilities: 0b011,
    })
    .with_deadline(Instant::now() + Duration::from_secs(10));
    let agreed = handshake(&mut s, &mut session).unwrap();
    assert_eq!(
        agreed,
        Agreement {
            version: 5,
            capabilities: 0b010
        }
    );
    let mut framed = Framed::from_parts(s, typed_codec(), session.take_remaining());
    for i in 0..500u32 {
        let payload = vec![(i % 251) as u8; (i as usize * 37) % 3000];
        framed.send(Frame::typed(1, payload.clone())).unwrap();
        let reply = framed.recv().unwrap().unwrap();
        let mut expected = payload;
        expected.reverse();
        assert_eq!(reply, Frame::typed(2, expected));
    }
    framed
        .get_mut()
        .shutdown(std::net::Shutdown::Write)
        .unwrap();
    assert!(framed.recv().unwrap().is_none());
    assert_eq!(server.join().unwrap(), (agreed, 500));
}

#[test]
fn frames_split_across_writes() {
    let (l, addr) = listener();
    let server = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        Framed::new(s, LengthDelimited::new())
            .map(|f| f.unwrap().payload)
            .collect::<Vec<_>>()
    });
    let mut s = connect(addr);
    s.set_nodelay(true).unwrap();
    let wire = b"\x00\x00\x00\x03abc\x00\x00\x00\x00\x00\x00\x00\x05hello";
    for b in wire {
        s.write_all(&[*b]).unwrap();
        s.flush().unwrap();
        thread::sleep(Duration::from_micros(200));
    }
    drop(s);
    assert_eq!(server.join().unwrap(), vec!["abc", "", "hello"]);
}

#[test]
fn lines_split_across_writes() {
    let (l, addr) = listener();
    let server = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        Framed::new(s, Delimited::crlf())
            .map(|f| f.unwrap())
            .collect::<Vec<_>>()
    });
    let mut s = connect(addr);
    s.set_nodelay(true).unwrap();
    for piece in [&b"HELO a"[..], b"\r", b"\nQUIT\r\n"] {
        s.write_all(piece).unwrap();
        thread::sleep(Duration::from_millis(5));
    }
    drop(s);
    assert_eq!(server.join().unwrap(), vec!["HELO a", "QUIT"]);
}

#[test]
fn peer_closing_mid_frame_is_truncated() {
    let (l, addr) = listener();
    let server = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        let mut framed = Framed::new(s, LengthDelimited::new());
        (framed.recv().map(|f| f.map(|f| f.payload)), framed.recv())
    });
    let mut s = connect(addr);
    s.write_all(b"\x00\x00\x00\x02ok\x00\x00\x00\x10only-six")
        .unwrap();
    drop(s);
    let (first, second) = server.join().unwrap();
    assert_eq!(first.unwrap().unwrap(), "ok");
    assert!(matches!(
        second,
        Err(AdapterError::Codec(Error::Truncated {
            offset: 18,
            needed: 8
        }))
    ));
}

#[test]
fn peer_claiming_a_huge_length_is_refused_at_once() {
    let (l, addr) = listener();
    let server = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        let mut framed = Framed::new(
            s,
            LengthDelimited::builder().max_frame_length(1 << 20).build(),
        );
        let r = framed.recv();
        (r, framed.read_buffer().capacity())
    });
    let mut s = connect(addr);
    // Claims 4 GiB - 1 and keeps the connection open: the error must not wait for the payload.
    s.write_all(b"\xff\xff\xff\xff").unwrap();
    let (result, capacity) = server.join().unwrap();
    assert!(matches!(
        result,
        Err(AdapterError::Codec(Error::TooLarge {
            offset: 0,
            limit: 1_048_576,
            claimed: 4_294_967_295
        }))
    ));
    assert!(capacity < 64 * 1024);
    drop(s);
}

#[test]
fn handshake_with_a_peer_speaking_something_else() {
    let (l, addr) = listener();
    let server = thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut session = Handshake::new(Hello {
            magic: DEFAULT_MAGIC,
            version: 1,
            min_version: 1,
            capabilities: 0,
        });
        handshake(&mut s, &mut session)
    });
    let mut s = connect(addr);
    s.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let result = server.join().unwrap();
    assert!(matches!(
        result,
        Err(AdapterError::Codec(Error::BadMagic {
            found: 0x4745_5420,
            ..
        }))
    ));
}

#[test]
fn handshake_deadline_with_a_silent_peer() {
    let (l, addr) = listener();
    let _silent = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        thread::sleep(Duration::from_secs(2));
        drop(s);
    });
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut session = Handshake::new(Hello {
        magic: DEFAULT_MAGIC,
        version: 1,
        min_version: 1,
        capabilities: 0,
    })
    .with_deadline(Instant::now() + Duration::from_millis(200));
    let started = Instant::now();
    assert!(matches!(
        handshake(&mut s, &mut session),
        Err(AdapterError::Codec(Error::Timeout))
    ));
    assert!(started.elapsed() < Duration::from_secs(2));
}
