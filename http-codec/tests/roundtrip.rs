//! encode → decode gives the message back; decode → encode gives the bytes back; and any split of
//! the bytes decodes the same (proptest).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bytes::{Bytes, BytesMut};
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};
use http_codec::{
    Event, Headers, Request, RequestDecoder, RequestEncoder, Response, ResponseDecoder,
    ResponseEncoder, Version,
};
use proptest::prelude::*;

/// How the body of a generated message is framed.
#[derive(Debug, Clone)]
enum Framing {
    Length,
    Chunked(Vec<(String, String)>),
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

fn field_value() -> impl Strategy<Value = Vec<u8>> {
    // field-vchar and inner SP/HTAB, obs-text included; no whitespace at the ends.
    proptest::collection::vec(
        prop_oneof![0x21u8..=0x7e, 0x80u8..=0xff, Just(b' '), Just(b'\t')],
        0..24,
    )
    .prop_map(|mut v| {
        while v.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            v.remove(0);
        }
        while v.last().is_some_and(|b| *b == b' ' || *b == b'\t') {
            v.pop();
        }
        v
    })
}

/// Fields that do not frame or route the message (those are added by the test itself).
fn plain_fields() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    proptest::collection::vec((token(), field_value()), 0..6).prop_map(|v| {
        v.into_iter()
            .filter(|(n, _)| {
                ![
                    "host",
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "upgrade",
                    "expect",
                ]
                .contains(&n.to_ascii_lowercase().as_str())
            })
            .collect()
    })
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::Length),
        proptest::collection::vec(
            (token(), "[ -~]{0,8}".prop_map(|s| s.trim().to_string())),
            0..3
        )
        .prop_map(Framing::Chunked),
    ]
}

fn body() -> impl Strategy<Value = Vec<Vec<u8>>> {
    proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..40), 0..4)
}

fn events<H>(head: H, body: &[Vec<u8>], framing: &Framing) -> Vec<Event<H>> {
    let mut out = vec![Event::Head(head)];
    out.extend(body.iter().map(|d| Event::Data(Bytes::from(d.clone()))));
    let mut trailers = Headers::new();
    if let Framing::Chunked(t) = framing {
        for (n, v) in t {
            trailers.append(n, v).unwrap();
        }
    }
    out.push(Event::End(trailers));
    out
}

fn add_framing(headers: &mut Headers, body: &[Vec<u8>], framing: &Framing) {
    match framing {
        Framing::Length => {
            let n: usize = body.iter().map(Vec::len).sum();
            headers.append("Content-Length", n.to_string()).unwrap();
        }
        Framing::Chunked(_) => headers.append("Transfer-Encoding", "chunked").unwrap(),
    }
}

fn request() -> impl Strategy<Value = Vec<Event<Request>>> {
    (
        token(),
        "/[A-Za-z0-9/?=&%._~-]{0,30}",
        plain_fields(),
        body(),
        framing(),
    )
        .prop_map(|(method, target, fields, body, framing)| {
            let target = target.replace('%', "%25");
            let mut r = Request::new(method, target);
            r.headers.append("Host", "example.com").unwrap();
            for (n, v) in &fields {
                r.headers.append(n, v).unwrap();
            }
            add_framing(&mut r.headers, &body, &framing);
            events(r, &body, &framing)
        })
}

fn response() -> impl Strategy<Value = Vec<Event<Response>>> {
    (
        200u16..=599,
        "[ -~]{0,16}",
        plain_fields(),
        body(),
        framing(),
        any::<bool>(),
    )
        .prop_map(|(status, reason, fields, body, framing, http10)| {
            let status = if status == 204 || status == 304 {
                200
            } else {
                status
            };
            let mut r = Response::new(status);
            r.reason = Bytes::from(reason);
            // Chunked is HTTP/1.1 only (RFC 9112 §6.1).
            if http10 && matches!(framing, Framing::Length) {
                r.version = Version::HTTP_10;
            }
            for (n, v) in &fields {
                r.headers.append(n, v).unwrap();
            }
            add_framing(&mut r.headers, &body, &framing);
            events(r, &body, &framing)
        })
}

/// Data events joined, so messages compare whatever the cut of the body.
fn normalise<H>(events: Vec<Event<H>>) -> Vec<Event<H>> {
    let mut out: Vec<Event<H>> = Vec::new();
    for e in events {
        match (out.last_mut(), e) {
            (Some(Event::Data(prev)), Event::Data(d)) => {
                let mut joined = BytesMut::from(&prev[..]);
                joined.extend_from_slice(&d);
                *prev = joined.freeze();
            }
            (_, Event::Data(d)) if d.is_empty() => {}
            (_, e) => out.push(e),
        }
    }
    out
}

fn encode_all<E: Encoder<Event<H>, Error = http_codec::Error>, H: Clone>(
    encoder: &mut E,
    messages: &[Vec<Event<H>>],
) -> BytesMut {
    let mut out = BytesMut::new();
    for m in messages {
        for e in m {
            encoder.encode(e.clone(), &mut out).unwrap();
        }
    }
    out
}

fn decode_all<D: Decoder<Error = http_codec::Error>>(
    decoder: &mut D,
    pieces: &[&[u8]],
) -> Vec<D::Item>
where
    D::Item: std::fmt::Debug,
{
    decode_pieces(decoder, pieces, |_| false)
        .into_iter()
        .map(|r| r.unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn requests_roundtrip_under_any_split(
        messages in proptest::collection::vec(request(), 1..4),
        points in proptest::collection::vec(any::<usize>(), 0..4),
    ) {
        let wire = encode_all(&mut RequestEncoder::default(), &messages);
        let want: Vec<_> = messages.iter().cloned().flat_map(normalise).collect();
        let pieces = cut(&wire, &points);
        let got = normalise(decode_all(&mut RequestDecoder::default(), &pieces));
        prop_assert_eq!(&got, &want);
        // Re-serializing what was parsed gives back the same bytes (the body cut the same way:
        // chunk boundaries are not kept).
        let again = encode_all(&mut RequestEncoder::default(), &[got]);
        prop_assert_eq!(&again[..], &encode_all(&mut RequestEncoder::default(), &[want])[..]);
    }

    #[test]
    fn responses_roundtrip_under_any_split(
        messages in proptest::collection::vec(response(), 1..4),
        points in proptest::collection::vec(any::<usize>(), 0..4),
    ) {
        let wire = encode_all(&mut ResponseEncoder::default(), &messages);
        let want: Vec<_> = messages.iter().cloned().flat_map(normalise).collect();
        let got = normalise(decode_all(&mut ResponseDecoder::default(), &cut(&wire, &points)));
        prop_assert_eq!(&got, &want);
        let again = encode_all(&mut ResponseEncoder::default(), &[got]);
        prop_assert_eq!(&again[..], &encode_all(&mut ResponseEncoder::default(), &[want])[..]);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_splits_agree(
        input in proptest::collection::vec(any::<u8>(), 0..300),
        points in proptest::collection::vec(any::<usize>(), 0..4),
    ) {
        let whole = decode_pieces(&mut RequestDecoder::default(), &[&input], |_| false);
        let split = decode_pieces(&mut RequestDecoder::default(), &cut(&input, &points), |_| false);
        prop_assert_eq!(normalise_results(whole), normalise_results(split));
    }
}

/// Results with their Data joined, up to the first error.
fn normalise_results<H: std::fmt::Debug>(
    results: Vec<Result<Event<H>, http_codec::Error>>,
) -> (Vec<Event<H>>, Option<http_codec::Error>) {
    let mut events = Vec::new();
    let mut error = None;
    for r in results {
        match r {
            Ok(e) => events.push(e),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    (normalise(events), error)
}

#[test]
fn a_parsed_message_is_forwarded_byte_for_byte() {
    let wire =
        b"GET /x HTTP/1.1\r\nhost:example.com\r\nX-Odd:   spaced value \t \r\nx-odd: again\r\n\r\n";
    let mut d = RequestDecoder::default();
    let mut buf = BytesMut::from(&wire[..]);
    let mut out = BytesMut::new();
    let mut e = RequestEncoder::default();
    while let Some(ev) = d.decode(&mut buf).unwrap() {
        e.encode(ev, &mut out).unwrap();
    }
    assert_eq!(&out[..], &wire[..]);
}
