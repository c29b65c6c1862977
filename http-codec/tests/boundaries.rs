//! What a connection has ended, no one sees (RFC 9112 §9.6, §9.3), and protocol switches happen
//! only at a message boundary (RFC 9110 §7.8, §15.2.2). Each case runs on the whole input, byte
//! by byte, and cut in two at every point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use framing::{Decoder, Encoder};
use http_codec::{
    ClientCodec, ClientEvent, ClientSession, Error, Event, Headers, Request, Response, ServerEvent,
    ServerSession,
};

/// Every way to deliver `input`: whole, byte by byte, and in two pieces cut at each point.
fn splits(input: &[u8]) -> Vec<Vec<&[u8]>> {
    let mut out = vec![vec![input], input.chunks(1).collect()];
    for cut in 1..input.len() {
        out.push(vec![&input[..cut], &input[cut..]]);
    }
    out
}

/// A short description of a server event, for comparing runs.
fn describe(e: &ServerEvent) -> String {
    match e {
        ServerEvent::Message(Event::Head(r)) => {
            format!(
                "head {} {}",
                r.method_str(),
                String::from_utf8_lossy(&r.target)
            )
        }
        ServerEvent::Message(Event::Data(d)) => format!("data {}", String::from_utf8_lossy(d)),
        ServerEvent::Message(Event::End(_)) => "end".into(),
        ServerEvent::Closed => "closed".into(),
    }
}

/// Feeds `pieces` to a server session, polling after each, and returns what the application
/// saw (data pieces joined); `on_end(session, n)` runs when the n-th request (from 1) has ended.
fn serve(
    pieces: &[&[u8]],
    mut on_end: impl FnMut(&mut ServerSession, usize),
) -> (ServerSession, Vec<String>) {
    let mut s = ServerSession::default();
    let mut seen: Vec<String> = Vec::new();
    let mut ended = 0;
    for piece in pieces {
        s.receive(piece);
        while let Some(e) = s.poll_event().unwrap() {
            let d = describe(&e);
            match (seen.last_mut(), &e) {
                (Some(last), ServerEvent::Message(Event::Data(_))) if last.starts_with("data ") => {
                    last.push_str(&d["data ".len()..]);
                }
                _ => seen.push(d),
            }
            if matches!(e, ServerEvent::Message(Event::End(_))) {
                ended += 1;
                on_end(&mut s, ended);
            }
        }
    }
    (s, seen)
}

fn respond(s: &mut ServerSession, close: bool) {
    let mut r = Response::new(200);
    r.headers.append("Content-Length", "2").unwrap();
    if close {
        r.headers.append("Connection", "close").unwrap();
    }
    s.send(Event::Head(r)).unwrap();
    s.send(Event::Data("ok".into())).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
}

#[test]
fn requests_behind_a_request_that_closes_are_never_seen() {
    let first = &b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"[..];
    let second =
        &b"POST /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"[..];
    let third = &b"DELETE /3 HTTP/1.1\r\nHost: a\r\n\r\n"[..];
    let input = [first, second, third].concat();
    for pieces in splits(&input) {
        let (s, seen) = serve(&pieces, |_, _| {});
        assert_eq!(
            seen,
            ["head GET /1", "end", "head POST /2", "data x", "end"],
            "{pieces:?}"
        );
        let discarded = s.discarded().expect("the DELETE was dropped");
        assert_eq!(discarded.offset, (first.len() + second.len()) as u64);
        assert_eq!(discarded.len, third.len() as u64);
    }
}

#[test]
fn requests_behind_an_http10_request_without_keep_alive_are_never_seen() {
    let input = b"GET /1 HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    for pieces in splits(input) {
        let (s, seen) = serve(&pieces, |_, _| {});
        assert_eq!(seen, ["head GET /1", "end"], "{pieces:?}");
        assert_eq!(s.discarded().unwrap().offset, 19);
    }
    // With keep-alive, the next request is read.
    let input = b"GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n";
    let (s, seen) = serve(&[input], |_, _| {});
    assert_eq!(seen, ["head GET /1", "end", "head GET /2", "end"]);
    assert_eq!(s.discarded(), None);
}

#[test]
fn requests_behind_a_response_that_closes_are_never_seen() {
    let first = &b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"[..];
    let second = &b"GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"[..];
    let input = [first, second].concat();
    for pieces in splits(&input) {
        // The application answers each request as soon as it has ended, the first with close.
        let (mut s, seen) = serve(&pieces, |s, n| respond(s, n == 1));
        assert_eq!(seen, ["head GET /1", "end"], "{pieces:?}");
        assert!(s.is_closing());
        assert_eq!(s.discarded().unwrap().len, second.len() as u64);
        // More bytes later are dropped too; the client's close is still reported.
        s.receive(b"GET /3 HTTP/1.1\r\n\r\n");
        s.receive_eof();
        assert_eq!(s.poll_event().unwrap(), Some(ServerEvent::Closed));
        assert_eq!(s.poll_event().unwrap(), None);
        assert_eq!(s.discarded().unwrap().len, second.len() as u64 + 19);
    }
    // A close-delimited response ends the connection too.
    let (_, seen) = serve(&[&input], |s, _| {
        s.send(Event::Head(Response::new(200))).unwrap();
        s.send(Event::End(Headers::new())).unwrap();
    });
    assert_eq!(seen, ["head GET /1", "end"]);
}

#[test]
fn garbage_behind_a_closing_request_is_not_an_error() {
    // Once the connection is over, what follows is not parsed at all, even at end of input.
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n\x00\x01 not http");
    s.receive_eof();
    let mut seen = Vec::new();
    while let Some(e) = s.poll_event().unwrap() {
        seen.push(describe(&e));
    }
    assert_eq!(seen, ["head GET /", "end", "closed"]);
}

#[test]
fn a_switch_waits_for_the_whole_upgrading_request() {
    let head = &b"POST /up HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\nContent-Length: 4\r\n\r\n"[..];
    let input = [head, b"body", b"\x00new-protocol"].concat();
    for pieces in splits(&input) {
        let (mut s, seen) = serve(&pieces, |_, _| {});
        // `serve` polled everything: try the switch at every point a real server could.
        assert_eq!(seen, ["head POST /up", "data body", "end"], "{pieces:?}");
        let mut r = Response::new(101);
        r.headers.append("Upgrade", "x").unwrap();
        r.headers.append("Connection", "upgrade").unwrap();
        s.send(Event::Head(r)).unwrap();
        s.send(Event::End(Headers::new())).unwrap();
        assert!(s.is_switched());
        let rest = s.take_remaining();
        assert_eq!(&rest[..], b"\x00new-protocol", "{pieces:?}");
    }

    // Sending 101 after the head only is refused, and the body still reaches the application.
    let mut s = ServerSession::default();
    s.receive(head);
    assert!(matches!(
        s.poll_event().unwrap(),
        Some(ServerEvent::Message(Event::Head(_)))
    ));
    let mut r = Response::new(101);
    r.headers.append("Upgrade", "x").unwrap();
    let e = s.send(Event::Head(r.clone())).unwrap_err();
    assert!(
        matches!(e, Error::Local { reason } if reason.contains("read whole")),
        "{e}"
    );
    s.receive(b"body\x00new");
    let mut seen = Vec::new();
    while let Some(e) = s.poll_event().unwrap() {
        seen.push(describe(&e));
    }
    assert_eq!(seen, ["data body", "end"]);
    s.send(Event::Head(r)).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert_eq!(&s.take_remaining()[..], b"\x00new");
}

#[test]
fn a_connect_switch_waits_for_its_end() {
    let mut s = ServerSession::default();
    s.receive(b"CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n\x16\x03");
    assert!(matches!(
        s.poll_event().unwrap(),
        Some(ServerEvent::Message(Event::Head(_)))
    ));
    assert!(s.send(Event::Head(Response::new(200))).is_err());
    assert!(matches!(
        s.poll_event().unwrap(),
        Some(ServerEvent::Message(Event::End(_)))
    ));
    s.send(Event::Head(Response::new(200))).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert_eq!(&s.take_remaining()[..], b"\x16\x03");
}

#[test]
fn an_upgrade_refused_before_its_body_ended_goes_on_with_http1() {
    let input = b"POST /up HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\nContent-Length: 2\r\n\r\nhiGET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    let mut s = ServerSession::default();
    let head_len = input.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    s.receive(&input[..head_len]);
    assert!(matches!(
        s.poll_event().unwrap(),
        Some(ServerEvent::Message(Event::Head(_)))
    ));
    // Refused at once, before the body arrived.
    respond(&mut s, false);
    s.receive(&input[head_len..]);
    let mut seen = Vec::new();
    while let Some(e) = s.poll_event().unwrap() {
        seen.push(describe(&e));
    }
    assert_eq!(seen, ["data hi", "end", "head GET /next", "end"]);
}

#[test]
fn an_answered_request_does_not_resume_a_later_upgrade() {
    // GET /1, then an Upgrade request: answering /1 must not make the decoder read what follows
    // the Upgrade request as HTTP/1 before that request is answered.
    let mut s = ServerSession::default();
    s.receive(b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\nGET /not-http HTTP/1.1\r\n\r\n");
    let mut seen = Vec::new();
    while let Some(e) = s.poll_event().unwrap() {
        seen.push(describe(&e));
    }
    assert_eq!(seen, ["head GET /1", "end", "head GET /ws", "end"]);
    respond(&mut s, false);
    assert_eq!(s.poll_event().unwrap(), None);
    let mut r = Response::new(101);
    r.headers.append("Upgrade", "x").unwrap();
    s.send(Event::Head(r)).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert_eq!(&s.take_remaining()[..], b"GET /not-http HTTP/1.1\r\n\r\n");
}

fn request(method: &str, target: &str, fields: &[(&str, &str)]) -> Request {
    let mut r = Request::new(method.to_string(), target.to_string());
    r.headers.append("Host", "a").unwrap();
    for (n, v) in fields {
        r.headers.append(n, v).unwrap();
    }
    r
}

#[test]
fn a_client_sends_nothing_after_its_close() {
    let mut c = ClientSession::default();
    c.send(Event::Head(request(
        "POST",
        "/last",
        &[("Connection", "close"), ("Content-Length", "2")],
    )))
    .unwrap();
    assert!(c.is_closing());
    // Its own body may still go.
    c.send(Event::Data("hi".into())).unwrap();
    c.send(Event::End(Headers::new())).unwrap();
    let e = c.send(Event::Head(request("GET", "/", &[]))).unwrap_err();
    assert!(matches!(e, Error::Local { .. }), "{e}");

    // An HTTP/1.0 request without keep-alive is the last one too.
    let mut c = ClientSession::default();
    let mut r = Request::new("GET", "/");
    r.version = http_codec::Version::HTTP_10;
    c.send(Event::Head(r)).unwrap();
    c.send(Event::End(Headers::new())).unwrap();
    assert!(c.send(Event::Head(request("GET", "/", &[]))).is_err());
}

#[test]
fn a_client_refuses_bytes_after_a_response_that_closed() {
    let first = &b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"[..];
    let second = &b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno"[..];
    let input = [first, second].concat();
    for pieces in splits(&input) {
        let mut c = ClientSession::default();
        c.send(Event::Head(request("GET", "/1", &[]))).unwrap();
        c.send(Event::End(Headers::new())).unwrap();
        c.send(Event::Head(request("GET", "/2", &[]))).unwrap();
        c.send(Event::End(Headers::new())).unwrap();
        assert_eq!(c.outstanding(), 2);
        let mut ends = 0;
        let mut error = None;
        'feed: for piece in &pieces {
            c.receive(piece);
            loop {
                match c.poll_event() {
                    Ok(Some(ClientEvent::Message(Event::End(_)))) => ends += 1,
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(e);
                        break 'feed;
                    }
                }
            }
        }
        assert_eq!(ends, 1, "{pieces:?}");
        let e = error.expect("the second response is refused");
        assert!(
            matches!(e, Error::Syntax { offset, .. } if offset == first.len() as u64),
            "{e}"
        );
        assert!(c.is_closing());
        assert_eq!(c.outstanding(), 1, "the second request was not answered");
    }
}

#[test]
fn a_101_the_client_did_not_ask_for_is_an_error() {
    let input = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
    for pieces in splits(input) {
        let mut c = ClientSession::default();
        c.send(Event::Head(request("GET", "/", &[]))).unwrap();
        c.send(Event::End(Headers::new())).unwrap();
        let mut error = None;
        for piece in &pieces {
            c.receive(piece);
            match c.poll_event() {
                Ok(Some(e)) => panic!("{e:?} from an unsolicited 101"),
                Ok(None) => {}
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        let e = error.expect("refused");
        assert!(
            matches!(
                e,
                Error::Syntax {
                    offset: 9,
                    production: "status-code",
                    ..
                }
            ),
            "{e}"
        );
        assert!(!c.is_switched());
    }
    // Asked for, it is a switch.
    let mut c = ClientSession::default();
    c.send(Event::Head(request(
        "GET",
        "/",
        &[("Connection", "upgrade"), ("Upgrade", "x")],
    )))
    .unwrap();
    c.send(Event::End(Headers::new())).unwrap();
    c.receive(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\nnew");
    while c.poll_event().unwrap().is_some() {}
    assert!(c.is_switched());
    assert_eq!(&c.take_remaining()[..], b"new");
}

#[test]
fn the_client_codec_refuses_an_unsolicited_101_too() {
    let mut codec = ClientCodec::default();
    let mut out = bytes::BytesMut::new();
    codec
        .encode(Event::Head(request("GET", "/", &[])), &mut out)
        .unwrap();
    codec.encode(Event::End(Headers::new()), &mut out).unwrap();
    let mut input =
        bytes::BytesMut::from(&b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut input),
        Err(Error::Syntax { offset: 9, .. })
    ));
}

#[test]
fn idle_and_outstanding_follow_the_exchange() {
    let mut c = ClientSession::default();
    assert!(c.is_idle());
    c.send(Event::Head(request("GET", "/", &[]))).unwrap();
    assert!(!c.is_idle());
    c.send(Event::End(Headers::new())).unwrap();
    assert_eq!(c.outstanding(), 1);
    assert!(c.poll_transmit().is_some());
    assert!(!c.is_idle());
    c.receive(b"HTTP/1.1 204 No Content\r\n\r\n");
    while c.poll_event().unwrap().is_some() {}
    assert_eq!(c.outstanding(), 0);
    assert!(c.is_idle());
}

#[test]
fn registered_reason_phrases_are_written() {
    let mut encoder = http_codec::ResponseEncoder::default();
    encoder.expect("GET");
    let mut out = bytes::BytesMut::new();
    encoder
        .encode(Event::Head(Response::new(103)), &mut out)
        .unwrap();
    assert!(out.starts_with(b"HTTP/1.1 103 Early Hints\r\n"), "{out:?}");
    for (code, reason) in [
        (102, "Processing"),
        (203, "Non-Authoritative Information"),
        (409, "Conflict"),
        (422, "Unprocessable Content"),
        (429, "Too Many Requests"),
        (451, "Unavailable For Legal Reasons"),
        (511, "Network Authentication Required"),
    ] {
        assert_eq!(&Response::new(code).reason[..], reason.as_bytes());
    }
    // An unregistered code has an empty reason, which the grammar allows (RFC 9112 §4).
    assert_eq!(&Response::new(299).reason[..], b"");
}

#[test]
fn a_bad_request_can_be_answered_then_the_connection_ends() {
    // Broken before any head: the session lets one response answer it.
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
    let e = s.poll_event().unwrap_err();
    assert_eq!(e.status(), 400);
    assert_eq!(s.poll_event().unwrap_err(), e, "the error stays");
    let r = Response::new(400)
        .header("Connection", "close")
        .unwrap()
        .header("Content-Length", "0")
        .unwrap();
    s.send(Event::Head(r)).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert!(
        s.poll_transmit()
            .unwrap()
            .starts_with(b"HTTP/1.1 400 Bad Request\r\n")
    );
    assert!(s.is_closing());
    assert!(s.send(Event::Head(Response::new(200))).is_err());

    // Broken inside a body whose head was read: that request is the one answered.
    let mut s = ServerSession::default();
    s.receive(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    assert!(matches!(
        s.poll_event().unwrap(),
        Some(ServerEvent::Message(Event::Head(_)))
    ));
    assert!(s.poll_event().is_err());
    let r = Response::new(400).header("Content-Length", "0").unwrap();
    s.send(Event::Head(r)).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert!(s.is_closing(), "a broken stream cannot be kept alive");
}
