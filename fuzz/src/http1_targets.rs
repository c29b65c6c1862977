//! Targets for http-codec's HTTP/1 decoders, encoders and sessions.

use arbitrary::{Arbitrary, Unstructured};
use bytes::{Bytes, BytesMut};
use framing::testing::{cut, decode_pieces};
use framing::{Decoder, Encoder};
use http_codec::head::{Header, parse_request, parse_response};
use http_codec::{
    Config, Error, Event, Headers, Leniency, Request, RequestDecoder, RequestEncoder, Response,
    ResponseDecoder, ResponseEncoder, ServerEvent, ServerSession,
};

/// A configuration chosen by one byte: bit 7 strict, else the low bits pick leniencies; bit 6
/// small limits.
fn config(c: u8) -> Config {
    let mut leniency = Leniency::strict();
    if c & 0x80 == 0 {
        leniency = leniency
            .allow_obs_fold(c & 1 != 0)
            .allow_bare_lf(c & 2 != 0)
            .allow_unsafe_target_chars(c & 4 != 0)
            .allow_missing_host(c & 8 != 0)
            .allow_transfer_encoding_with_content_length(c & 16 != 0)
            .allow_missing_reason_space(c & 32 != 0);
    }
    let mut config = Config {
        leniency,
        ..Config::default()
    };
    if c & 0x40 != 0 {
        config.limits.max_head_size = 256;
        config.limits.max_start_line = 64;
        config.limits.max_field_line = 64;
        config.limits.max_headers = 4;
        config.limits.max_chunk_extension = 16;
        config.limits.max_trailer_size = 64;
        config.limits.max_body_size = Some(100);
    }
    config
}

/// Events with adjacent data joined (how data is cut depends on the split), up to and including
/// the first error.
fn joined<H>(results: Vec<Result<Event<H>, Error>>) -> (Vec<Event<H>>, Option<Error>) {
    let mut events: Vec<Event<H>> = Vec::new();
    for r in results {
        match r {
            Ok(Event::Data(d)) => match events.last_mut() {
                Some(Event::Data(prev)) => {
                    let mut both = BytesMut::from(&prev[..]);
                    both.extend_from_slice(&d);
                    *prev = both.freeze();
                }
                _ => events.push(Event::Data(d)),
            },
            Ok(e) => events.push(e),
            Err(e) => return (events, Some(e)),
        }
    }
    (events, None)
}

/// The complete messages in `events` (head, joined body, trailers).
fn messages<H: Clone>(events: &[Event<H>]) -> Vec<(H, Bytes, Headers)> {
    let mut out = Vec::new();
    let mut open: Option<(H, BytesMut)> = None;
    for e in events {
        match e {
            Event::Head(h) => open = Some((h.clone(), BytesMut::new())),
            Event::Data(d) => {
                if let Some((_, body)) = &mut open {
                    body.extend_from_slice(d);
                }
            }
            Event::End(t) => {
                if let Some((h, body)) = open.take() {
                    out.push((h, body.freeze(), t.clone()));
                }
            }
        }
    }
    out
}

/// Encodes `msgs` with `encoder`; `None` if the encoder refuses one (a leniently accepted
/// message need not be encodable under the strict rules).
fn encode_messages<H, E: Encoder<Event<H>, Error = Error>>(
    encoder: &mut E,
    msgs: &[(H, Bytes, Headers)],
) -> Option<BytesMut>
where
    H: Clone,
{
    let mut out = BytesMut::new();
    for (h, body, t) in msgs {
        encoder.encode(Event::Head(h.clone()), &mut out).ok()?;
        if !body.is_empty() {
            encoder.encode(Event::Data(body.clone()), &mut out).ok()?;
        }
        encoder.encode(Event::End(t.clone()), &mut out).ok()?;
    }
    Some(out)
}

/// Raw bytes through the request decoder: any split gives the same messages and error, and
/// (strict mode) every complete message re-encodes to bytes that decode to the same messages.
pub fn http1_request(data: &[u8]) {
    let (Some(&c), Some(&at)) = (data.first(), data.get(1)) else {
        return;
    };
    let input = data.get(2..).unwrap_or_default();
    let whole = joined(decode_pieces(
        &mut RequestDecoder::new(config(c)),
        &[input],
        |_| false,
    ));
    let split = joined(decode_pieces(
        &mut RequestDecoder::new(config(c)),
        &cut(input, &[usize::from(at), usize::from(at) * 7]),
        |_| false,
    ));
    assert_eq!(whole, split, "split changed the result");
    let msgs = messages(&whole.0);
    if let Some(wire) = encode_messages(&mut RequestEncoder::default(), &msgs) {
        let again = joined(decode_pieces(
            &mut RequestDecoder::default(),
            &[&wire],
            |_| false,
        ));
        assert_eq!(again.1, None, "re-encoded messages must decode");
        assert_eq!(messages(&again.0), msgs);
    }
}

/// Raw bytes through the response decoder, the request method chosen by a byte (HEAD and
/// CONNECT change the framing): split invariance and re-encoding as for requests.
pub fn http1_response(data: &[u8]) {
    let (Some(&c), Some(&at), Some(&m)) = (data.first(), data.get(1), data.get(2)) else {
        return;
    };
    let method = ["GET", "HEAD", "CONNECT", "POST"][usize::from(m % 4)];
    let input = data.get(3..).unwrap_or_default();
    let decoder = || {
        let mut d = ResponseDecoder::new(config(c));
        for _ in 0..4 {
            d.expect(method);
        }
        d
    };
    let whole = joined(decode_pieces(&mut decoder(), &[input], |_| false));
    let split = joined(decode_pieces(
        &mut decoder(),
        &cut(input, &[usize::from(at)]),
        |_| false,
    ));
    assert_eq!(whole, split, "split changed the result");
    let msgs: Vec<(Response, Bytes, Headers)> = messages(&whole.0);
    let mut encoder = ResponseEncoder::default();
    for _ in 0..4 {
        encoder.expect(method);
    }
    if let Some(wire) = encode_messages(&mut encoder, &msgs) {
        let again = joined(decode_pieces(&mut decoder(), &[&wire], |_| false));
        // A close-delimited body ends at the end of input, so re-decoding agrees.
        assert_eq!(messages(&again.0), msgs);
    }
}

/// The borrowed head parser against the streaming decoder and against httparse: a head the
/// borrowed parser accepts, the decoder yields with the same parts (unless the framing fields
/// are refused, which only the decoder judges); and httparse accepts every request head we
/// accept (we are the stricter one).
pub fn http1_head(data: &[u8]) {
    let mut ours = [Header::EMPTY; 16];
    let config = Config::default();
    let borrowed = parse_request(data, &mut ours, &config);
    if let Ok(Some((head, len))) = borrowed {
        // Documented difference: HTTP/1.2 to 1.9 are read as HTTP/1.1, as RFC 9110 §6.2 says a
        // recipient SHOULD; httparse refuses every version but 1.0 and 1.1.
        let newer_minor = head.version.minor() > 1;
        let mut theirs = [httparse::EMPTY_HEADER; 16];
        let mut req = httparse::Request::new(&mut theirs);
        match req.parse(data) {
            Ok(httparse::Status::Complete(n)) => {
                assert_eq!(n, len, "head length differs from httparse");
                assert_eq!(req.method.map(str::as_bytes), Some(head.method));
                assert_eq!(req.path.map(str::as_bytes), Some(head.target));
                assert_eq!(req.headers.len(), head.headers.len());
                for (a, b) in req.headers.iter().zip(head.headers) {
                    assert_eq!(a.name.as_bytes(), b.name);
                    assert_eq!(a.value, b.value);
                }
            }
            Err(httparse::Error::Version) if newer_minor => {}
            other => panic!("we accept a head httparse refuses: {other:?}"),
        }
        let mut buf = BytesMut::from(data);
        match RequestDecoder::new(config).decode(&mut buf) {
            Ok(Some(Event::Head(r))) => {
                assert_eq!(&r.method[..], head.method);
                assert_eq!(&r.target[..], head.target);
                assert_eq!(r.headers.len(), head.headers.len());
                for (a, b) in r.headers.iter().zip(head.headers) {
                    assert_eq!((a.name(), a.value()), (b.name, b.value));
                }
            }
            Err(
                Error::ContentLength { .. }
                | Error::TransferEncoding { .. }
                | Error::UnknownTransferCoding { .. }
                | Error::ContentLengthWithTransferEncoding { .. }
                | Error::Host { .. }
                | Error::TooLarge { .. },
            ) => {}
            other => panic!("the borrowed parser accepted, the decoder gave {other:?}"),
        }
    }
    let mut ours = [Header::EMPTY; 16];
    let _ = parse_response(data, &mut ours, &config);
}

/// What a server does next, chosen by the fuzzer.
#[derive(Debug, Arbitrary)]
enum ServerOp {
    Receive(Vec<u8>),
    Eof,
    Poll,
    Respond {
        status: u16,
        length: Option<u8>,
        close: bool,
    },
    Data(Vec<u8>),
    End,
}

/// Any sequence of peer bytes and local sends: the session never panics, what it transmits is a
/// valid response stream, and after it says it is closing it refuses to send. After every step:
/// no request event follows the end of the connection's last request (RFC 9112 §9.6), and the
/// bytes handed back after a switch start exactly after the upgrading request's last byte.
pub fn http1_server_session(data: &[u8]) {
    let Ok(ops) = Vec::<ServerOp>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut s = ServerSession::default();
    let mut sent = BytesMut::new();
    let mut received: Vec<u8> = Vec::new();
    let mut methods: Vec<Bytes> = Vec::new();
    // Requests whose End the application saw, and whether the last one seen closes.
    let mut ended = 0usize;
    let mut in_request = false;
    let mut last_closes = false;
    let mut over = false;
    for op in ops {
        let closing = s.is_closing();
        let result = match op {
            ServerOp::Receive(b) => {
                received.extend_from_slice(&b);
                s.receive(&b);
                Ok(())
            }
            ServerOp::Eof => {
                s.receive_eof();
                Ok(())
            }
            ServerOp::Poll => match s.poll_event() {
                Ok(Some(ServerEvent::Message(e))) => {
                    assert!(!over, "a request event after the connection's end: {e:?}");
                    match e {
                        Event::Head(r) => {
                            in_request = true;
                            last_closes = !r.keeps_alive();
                            methods.push(r.method);
                        }
                        Event::End(_) => {
                            in_request = false;
                            ended += 1;
                        }
                        Event::Data(_) => {}
                    }
                    Ok(())
                }
                Ok(_) => Ok(()),
                Err(_) => return,
            },
            ServerOp::Respond {
                status,
                length,
                close,
            } => {
                let status = status % 500 + 100;
                let mut r = Response::new(status);
                if let Some(n) = length {
                    let _ = r.headers.append("Content-Length", n.to_string());
                }
                if close {
                    let _ = r.headers.append("Connection", "close");
                }
                if status == 101 {
                    let _ = r.headers.append("Upgrade", "x");
                }
                s.send(Event::Head(r))
            }
            ServerOp::Data(d) => s.send(Event::Data(d.into())),
            ServerOp::End => s.send(Event::End(Headers::new())),
        };
        if closing {
            assert!(result.is_ok() || !matches!(result, Err(Error::Syntax { .. })));
        }
        // Between requests, once the last request or a response ended the connection, nothing
        // more may come out.
        if !in_request && (last_closes || (s.is_closing() && !s.is_switched())) {
            over = true;
        }
        if let Some(out) = s.poll_transmit() {
            sent.extend_from_slice(&out);
        }
        if s.is_switched() {
            // The new protocol's bytes start right after the `ended`-th request.
            let mut d = RequestDecoder::default();
            let mut all = BytesMut::from(&received[..]);
            let mut ends = 0;
            while ends < ended {
                match d.decode(&mut all) {
                    Ok(Some(Event::End(_))) => ends += 1,
                    Ok(Some(_)) => {}
                    other => panic!("the requests the session read do not decode: {other:?}"),
                }
            }
            let boundary = usize::try_from(d.offset()).unwrap_or(usize::MAX);
            let rest = s.take_remaining();
            assert_eq!(
                &rest[..],
                received.get(boundary..).unwrap_or_default(),
                "the bytes handed back after the switch do not start at the request's end"
            );
            received.truncate(boundary);
        }
    }
    // Whatever was transmitted is a stream of responses a strict client decodes.
    let mut d = ResponseDecoder::default();
    for m in &methods {
        d.expect(m.clone());
    }
    let mut buf = sent;
    loop {
        match d.decode(&mut buf) {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => panic!("the session transmitted an invalid response: {e}"),
        }
    }
}

/// Builds a request a strict decoder must accept; used by the roundtrip target.
#[derive(Debug, Arbitrary)]
struct ArbitraryRequest {
    method: u8,
    path: Vec<u8>,
    fields: Vec<(u8, Vec<u8>)>,
    body: Vec<Vec<u8>>,
    chunked: bool,
}

/// Structure-aware roundtrip: requests built from arbitrary parts (made valid) encode, decode
/// back equal, and re-encode to the same bytes.
pub fn http1_roundtrip(data: &[u8]) {
    let Ok(reqs) = Vec::<ArbitraryRequest>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut wire = BytesMut::new();
    let mut sent = Vec::new();
    let mut encoder = RequestEncoder::default();
    for a in reqs {
        let method =
            ["GET", "POST", "PUT", "DELETE", "OPTIONS", "X-CUSTOM"][usize::from(a.method % 6)];
        let path: String = a
            .path
            .iter()
            .map(|&b| char::from(b"abcXYZ019-._~/?=&"[usize::from(b) % 17]))
            .collect();
        let mut r = Request::new(method, format!("/{path}"));
        let mut ok = r.headers.append("Host", "example.com").is_ok();
        // Within the default limits (100 fields, 8 KiB lines, 64 KiB heads), which the encoder
        // enforces as the decoder does.
        for (n, v) in a.fields.iter().take(50) {
            let name = format!("X-F{}", n % 16);
            let value: Vec<u8> = v
                .iter()
                .take(1000)
                .map(|&b| if b < 0x21 || b == 0x7F { b'x' } else { b })
                .collect();
            ok &= r.headers.append(name, value).is_ok();
        }
        let body: Vec<Bytes> = a
            .body
            .into_iter()
            .filter(|b| !b.is_empty())
            .map(Bytes::from)
            .collect();
        let total: usize = body.iter().map(Bytes::len).sum();
        ok &= if a.chunked {
            r.headers.append("Transfer-Encoding", "chunked").is_ok()
        } else {
            r.headers
                .append("Content-Length", total.to_string())
                .is_ok()
        };
        assert!(ok, "the request parts were made valid");
        let joined: Bytes = body.concat().into();
        encoder
            .encode(Event::Head(r.clone()), &mut wire)
            .expect("valid head");
        for b in body {
            encoder
                .encode(Event::Data(b), &mut wire)
                .expect("body within its framing");
        }
        encoder
            .encode(Event::End(Headers::new()), &mut wire)
            .expect("complete body");
        sent.push((r, joined, Headers::new()));
    }
    let (events, error) = joined(decode_pieces(
        &mut RequestDecoder::default(),
        &[&wire],
        |_| false,
    ));
    assert_eq!(error, None);
    assert_eq!(messages(&events), sent);
}

/// How a client request's body is framed.
#[derive(Debug, Arbitrary)]
enum ClientBody {
    /// Neither Content-Length nor Transfer-Encoding: no body.
    None,
    /// `Content-Length: n`.
    Length(u8),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

/// What a client does next, chosen by the fuzzer.
#[derive(Debug, Arbitrary)]
enum ClientOp {
    Request {
        method: u8,
        target: u8,
        host: bool,
        body: ClientBody,
        close: bool,
        http10: bool,
        upgrade: bool,
    },
    Data(Vec<u8>),
    End {
        trailer: bool,
    },
    Receive(Vec<u8>),
    Eof,
    Poll,
}

/// Any sequence of local sends and server bytes through `ClientSession`: the session never
/// panics; what it transmits decodes with a strict `RequestDecoder` into exactly the heads,
/// bodies and trailers it accepted to send; after it says it is closing it refuses to send a
/// new request. After every step: no response event follows a final response that ended the
/// connection (RFC 9112 §9.6), and the bytes handed back after a switch start exactly after the
/// 101 or 2xx head.
pub fn http1_client_session(data: &[u8]) {
    let Ok(ops) = Vec::<ClientOp>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut s = http_codec::ClientSession::default();
    let mut transmitted = BytesMut::new();
    // What the session accepted to send, as the events a decoder should give back.
    let mut accepted: Vec<Event<Request>> = Vec::new();
    let mut received: Vec<u8> = Vec::new();
    let mut interim = false;
    let mut response_closes = false;
    let mut over = false;
    // Whether the request being sent has had its head accepted and not its End.
    let mut sending = false;
    for op in ops {
        let closing = s.is_closing();
        let event = match op {
            ClientOp::Receive(b) => {
                received.extend_from_slice(&b);
                s.receive(&b);
                None
            }
            ClientOp::Eof => {
                s.receive_eof();
                None
            }
            ClientOp::Poll => match s.poll_event() {
                Ok(Some(http_codec::ClientEvent::Message(e))) => {
                    assert!(!over, "a response event after the connection's end: {e:?}");
                    match e {
                        Event::Head(r) => {
                            interim = r.is_informational() && r.status != 101;
                            response_closes = r.headers.has_connection_option("close")
                                || (!r.version.is_http11()
                                    && !r.headers.has_connection_option("keep-alive"));
                        }
                        // The last response ended: the one that said close, or the answer to
                        // the request that did.
                        Event::End(_) if !interim && !s.is_switched() => {
                            over = response_closes || (s.is_closing() && s.outstanding() == 0);
                        }
                        _ => {}
                    }
                    None
                }
                Ok(_) => None,
                // A broken response stream ends the connection.
                Err(_) => break,
            },
            ClientOp::Request {
                method,
                target,
                host,
                body,
                close,
                http10,
                upgrade,
            } => {
                // Valid and invalid heads alike: the encoder must refuse a method that is not a
                // token and a target a strict decoder would refuse ("*" but for OPTIONS, a path
                // for CONNECT, "<", non-ASCII), and a refused head must let no body out.
                let method = [
                    "GET", "HEAD", "POST", "PUT", "OPTIONS", "CONNECT", "G T", "",
                ][usize::from(method % 8)];
                let target = [
                    "/",
                    "/a/b?c=d",
                    "http://example.com/x",
                    "*",
                    "example.com:443",
                    "/a<b",
                    "/\u{e9}",
                ][usize::from(target % 7)];
                let mut r = Request::new(method, target);
                if http10 {
                    r.version = http_codec::Version::HTTP_10;
                }
                let mut ok = true;
                if host {
                    ok &= r.headers.append("Host", "example.com").is_ok();
                }
                ok &= match body {
                    ClientBody::None => true,
                    ClientBody::Length(n) => {
                        r.headers.append("Content-Length", n.to_string()).is_ok()
                    }
                    ClientBody::Chunked => r.headers.append("Transfer-Encoding", "chunked").is_ok(),
                };
                if close {
                    ok &= r.headers.append("Connection", "close").is_ok();
                }
                if upgrade {
                    ok &= r.headers.append("Connection", "upgrade").is_ok();
                    ok &= r.headers.append("Upgrade", "x").is_ok();
                }
                assert!(ok, "the fields are valid");
                Some(Event::Head(r))
            }
            ClientOp::Data(d) => Some(Event::Data(d.into())),
            ClientOp::End { trailer } => {
                let mut t = Headers::new();
                if trailer {
                    assert!(t.append("X-Trailer", "yes").is_ok());
                }
                Some(Event::End(t))
            }
        };
        if let Some(event) = event {
            let is_head = matches!(event, Event::Head(_));
            let result = s.send(event.clone());
            if closing && (is_head || !sending) {
                assert!(
                    matches!(result, Err(Error::Local { .. })),
                    "a send after is_closing() gave {result:?}"
                );
            }
            if result.is_ok() {
                match &event {
                    Event::Head(_) => sending = true,
                    Event::End(_) => sending = false,
                    Event::Data(_) => {}
                }
                accepted.push(event);
            }
        }
        if let Some(out) = s.poll_transmit() {
            transmitted.extend_from_slice(&out);
        }
        if s.is_switched() {
            // The new protocol's bytes start right after the head that switched: decode what
            // was received, answering the requests sent, up to where the decoder stops.
            let mut d = ResponseDecoder::default();
            for e in &accepted {
                if let Event::Head(r) = e {
                    d.expect_request(r);
                }
            }
            let mut all = BytesMut::from(&received[..]);
            while let Ok(Some(_)) = d.decode(&mut all) {}
            assert!(d.is_switched(), "the session switched, a decoder does not");
            let boundary = usize::try_from(d.offset()).unwrap_or(usize::MAX);
            let rest = s.take_remaining();
            assert_eq!(
                &rest[..],
                received.get(boundary..).unwrap_or_default(),
                "the bytes handed back after the switch do not start after the switching head"
            );
            received.truncate(boundary);
        }
    }
    // Whatever was transmitted is a stream of requests a strict server decodes, and they are
    // the ones sent (the last may be unfinished).
    // (`decode` only: the stream may stop inside an unfinished request.)
    let mut decoder = RequestDecoder::default();
    let mut results = Vec::new();
    loop {
        match decoder.decode(&mut transmitted) {
            Ok(Some(e)) => results.push(Ok(e)),
            Ok(None) => break,
            Err(e) => panic!("the session transmitted an invalid request stream: {e}"),
        }
    }
    let (mut events, _) = joined(results);
    let (accepted, _) = joined(accepted.into_iter().map(Ok).collect());
    // Empty data is not transmitted at all.
    let mut accepted: Vec<Event<Request>> = accepted
        .into_iter()
        .filter(|e| !matches!(e, Event::Data(d) if d.is_empty()))
        .collect();
    // A strict server decoder pauses after a CONNECT head (what follows is the tunnel's if the
    // answer is 2xx, and it resumes only when its server says so), so compare up to it.
    if let Some(i) = accepted
        .iter()
        .position(|e| matches!(e, Event::Head(r) if r.method == "CONNECT"))
    {
        accepted.truncate(i + 1);
    }
    // A request without body is complete on the wire with its head: the decoder gives its End
    // before the session was told to end it.
    if !matches!(accepted.last(), None | Some(Event::End(_)))
        && matches!(events.last(), Some(Event::End(t)) if t.is_empty())
    {
        events.pop();
    }
    assert_eq!(
        events, accepted,
        "the requests decoded are not the ones sent"
    );
}
