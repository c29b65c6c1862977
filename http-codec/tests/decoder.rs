//! The streaming decoders: bodies in every framing, pipelining, protocol switches, and the same
//! result under any split of the input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::BytesMut;
use framing::Decoder;
use framing::testing::{cut, decode_pieces};
use http_codec::{
    BodyKind, Error, Event, Headers, Request, RequestDecoder, Response, ResponseDecoder,
};

/// A message as the events describe it, with its body data joined (how data is cut into events
/// depends on how the input arrived; nothing else may).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Msg<H> {
    Message {
        head: H,
        body: Vec<u8>,
        trailers: Headers,
    },
    /// A head whose end had not come when the input did.
    Open {
        head: H,
        body: Vec<u8>,
    },
    Error(Error),
}

fn join<H>(events: Vec<Result<Event<H>, Error>>) -> Vec<Msg<H>> {
    let mut out = Vec::new();
    let mut open: Option<(H, Vec<u8>)> = None;
    for e in events {
        match e {
            Ok(Event::Head(h)) => open = Some((h, Vec::new())),
            Ok(Event::Data(d)) => open
                .as_mut()
                .expect("data after a head")
                .1
                .extend_from_slice(&d),
            Ok(Event::End(trailers)) => {
                let (head, body) = open.take().expect("end after a head");
                out.push(Msg::Message {
                    head,
                    body,
                    trailers,
                });
            }
            Err(e) => {
                if let Some((head, body)) = open.take() {
                    out.push(Msg::Open { head, body });
                }
                out.push(Msg::Error(e));
            }
        }
    }
    if let Some((head, body)) = open {
        out.push(Msg::Open { head, body });
    }
    out
}

fn requests(input: &[u8]) -> Vec<Msg<Request>> {
    join(decode_pieces(
        &mut RequestDecoder::default(),
        &[input],
        |_| false,
    ))
}

fn responses(input: &[u8], methods: &[&'static str]) -> Vec<Msg<Response>> {
    let mut d = ResponseDecoder::default();
    for m in methods {
        d.expect(*m);
    }
    join(decode_pieces(&mut d, &[input], |_| false))
}

fn body_of<H>(m: &Msg<H>) -> &[u8] {
    match m {
        Msg::Message { body, .. } => body,
        other => panic!(
            "not a complete message: {:?}",
            std::mem::discriminant(other)
        ),
    }
}

#[test]
fn content_length_and_pipelined_requests() {
    let input = b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
    let msgs = requests(input);
    assert_eq!(msgs.len(), 2);
    assert_eq!(body_of(&msgs[0]), b"hello");
    let Msg::Message { head, .. } = &msgs[1] else {
        panic!()
    };
    assert_eq!(head.target, "/b");
    assert_eq!(body_of(&msgs[1]), b"");
}

#[test]
fn chunked_body_with_extensions_and_trailers() {
    let input = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\
4;name=value\r\nWiki\r\n5;q=\"a b\"\r\npedia\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n";
    let msgs = requests(input);
    let Msg::Message { body, trailers, .. } = &msgs[0] else {
        panic!("{msgs:?}")
    };
    assert_eq!(body, b"Wikipedia");
    assert_eq!(trailers.get("expires"), Some(&b"never"[..]));
    assert_eq!(trailers.len(), 2);
}

#[test]
fn responses_without_bodies_and_close_delimited() {
    let input = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\nHTTP/1.1 200 OK\r\n\r\nuntil the end";
    let msgs = responses(input, &["HEAD", "GET", "GET", "GET"]);
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    assert!(msgs[..3].iter().all(|m| body_of(m).is_empty()));
    assert_eq!(body_of(&msgs[3]), b"until the end");
}

#[test]
fn interim_responses_come_before_the_final_one() {
    let input = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    let msgs = responses(input, &["HEAD", "GET"]);
    let statuses: Vec<u16> = msgs
        .iter()
        .map(|m| match m {
            Msg::Message { head, .. } => head.status,
            _ => 0,
        })
        .collect();
    assert_eq!(statuses, [100, 103, 200, 200]);
    // The 1xx did not use up the HEAD: the first 200 has no body.
    assert_eq!(body_of(&msgs[2]), b"");
    assert_eq!(body_of(&msgs[3]), b"ok");
}

#[test]
fn switching_protocols_leaves_the_rest_untouched() {
    let mut d = ResponseDecoder::default();
    let mut buf = BytesMut::from(&b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello"[..]);
    assert!(matches!(d.decode(&mut buf), Ok(Some(Event::Head(r))) if r.status == 101));
    assert!(matches!(d.decode(&mut buf), Ok(Some(Event::End(_)))));
    assert_eq!(d.decode(&mut buf), Ok(None));
    assert!(d.is_switched());
    assert_eq!(&buf[..], b"\x81\x05hello");

    let mut d = RequestDecoder::default();
    let mut buf = BytesMut::from(
        &b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01"[..],
    );
    assert!(matches!(d.decode(&mut buf), Ok(Some(Event::Head(_)))));
    assert!(matches!(d.decode(&mut buf), Ok(Some(Event::End(_)))));
    assert_eq!(d.decode(&mut buf), Ok(None));
    assert!(d.is_paused());
    assert_eq!(&buf[..], b"\x16\x03\x01");
}

#[test]
fn upgrade_request_pauses_until_resumed() {
    let mut d = RequestDecoder::default();
    let mut buf = BytesMut::from(&b"GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n"[..]);
    assert!(matches!(d.decode(&mut buf), Ok(Some(Event::Head(_)))));
    assert!(d.connection().unwrap().upgrade);
    assert!(matches!(d.decode(&mut buf), Ok(Some(Event::End(_)))));
    assert_eq!(d.decode(&mut buf), Ok(None));
    d.resume();
    assert!(matches!(d.decode(&mut buf), Ok(Some(Event::Head(r))) if r.target == "/next"));
}

#[test]
fn truncated_messages_are_errors_at_the_end_of_input() {
    let msgs = requests(b"GET / HTTP/1.1\r\nHost: h\r\n");
    assert!(
        matches!(msgs[..], [Msg::Error(Error::Truncated { offset: 25, .. })]),
        "{msgs:?}"
    );
    let msgs = requests(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhel");
    assert!(
        matches!(
            msgs[..],
            [
                Msg::Open { .. },
                Msg::Error(Error::Truncated { offset: 50, .. })
            ]
        ),
        "{msgs:?}"
    );
    let msgs =
        requests(b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
    assert!(
        matches!(
            msgs[..],
            [Msg::Open { .. }, Msg::Error(Error::Truncated { .. })]
        ),
        "{msgs:?}"
    );
    assert_eq!(requests(b"\r\n\r\n"), vec![]);
}

#[test]
fn offsets_count_from_the_start_of_the_stream() {
    let msgs = requests(b"GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost : h\r\n\r\n");
    let Msg::Error(e) = &msgs[1] else {
        panic!("{msgs:?}")
    };
    assert_eq!(e.offset(), Some(27 + 16 + 4), "{e}");
}

#[test]
fn body_kind_and_keep_alive_are_reported() {
    let mut d = RequestDecoder::default();
    let mut buf = BytesMut::from(
        &b"GET / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi"[..],
    );
    d.decode(&mut buf).unwrap();
    assert_eq!(d.body_kind(), Some(BodyKind::Length(2)));
    assert!(d.connection().unwrap().keep_alive);
}

const CORPUS: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    b"\r\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /y HTTP/1.0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nX: \xff\xfe\r\n\r\nGET / HTTP/1.1\r\nHost : a\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
    b"GET / HTTP/1.1\nHost: a\n\n",
];

#[test]
fn any_split_gives_what_the_whole_gives() {
    for input in CORPUS {
        let whole = requests(input);
        for a in 0..=input.len() {
            let pieces = cut(input, &[a]);
            let split = join(decode_pieces(
                &mut RequestDecoder::default(),
                &pieces,
                |_| false,
            ));
            assert_eq!(
                split,
                whole,
                "cut at {a} of {:?}",
                String::from_utf8_lossy(input)
            );
        }
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        let split = join(decode_pieces(
            &mut RequestDecoder::default(),
            &bytewise,
            |_| false,
        ));
        assert_eq!(split, whole, "byte by byte");
    }
}
