//! The client and server sessions: order, keep-alive, 100-continue, protocol switches, and the
//! errors of a side that breaks the rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use http_codec::{
    ClientEvent, ClientSession, Error, Event, Headers, Request, Response, ServerEvent,
    ServerSession,
};

fn events(s: &mut ServerSession) -> Vec<ServerEvent> {
    let mut out = Vec::new();
    while let Some(e) = s.poll_event().unwrap() {
        out.push(e);
    }
    out
}

fn respond(s: &mut ServerSession, status: u16, body: &str) -> Result<(), Error> {
    let mut r = Response::new(status);
    if status >= 200 && status != 204 && status != 304 {
        r.headers.append("Content-Length", body.len().to_string())?;
    }
    s.send(Event::Head(r))?;
    if !body.is_empty() {
        s.send(Event::Data(body.to_string().into()))?;
    }
    s.send(Event::End(Headers::new()))
}

fn transmitted(s: &mut ServerSession) -> String {
    String::from_utf8(s.poll_transmit().map(|b| b.to_vec()).unwrap_or_default()).unwrap()
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let mut s = ServerSession::default();
    s.receive(b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    let ev = events(&mut s);
    assert_eq!(ev.len(), 4);
    respond(&mut s, 200, "one").unwrap();
    // The HEAD's response carries a Content-Length but no body.
    let mut r = Response::new(200);
    r.headers.append("Content-Length", "3").unwrap();
    s.send(Event::Head(r)).unwrap();
    assert!(s.send(Event::Data("two".into())).is_err());
    s.send(Event::End(Headers::new())).unwrap();
    assert_eq!(
        transmitted(&mut s),
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\noneHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"
    );
    assert!(!s.is_closing());
}

#[test]
fn a_response_needs_a_request() {
    let mut s = ServerSession::default();
    assert!(matches!(
        respond(&mut s, 200, "x"),
        Err(Error::Local { .. })
    ));
    s.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    events(&mut s);
    respond(&mut s, 200, "x").unwrap();
    assert!(matches!(
        respond(&mut s, 200, "x"),
        Err(Error::Local { .. })
    ));
}

#[test]
fn more_body_than_content_length_is_refused() {
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    events(&mut s);
    let mut r = Response::new(200);
    r.headers.append("Content-Length", "1").unwrap();
    s.send(Event::Head(r)).unwrap();
    assert!(s.send(Event::Data("too much".into())).is_err());
}

#[test]
fn keep_alive_rules_of_1_0_and_1_1() {
    for (request, closes) in [
        (&b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"[..], false),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            true,
        ),
        (b"GET / HTTP/1.0\r\n\r\n", true),
        (b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
    ] {
        let mut s = ServerSession::default();
        s.receive(request);
        events(&mut s);
        respond(&mut s, 200, "x").unwrap();
        // A 1.0 keep-alive request persists only if the response says keep-alive too.
        assert_eq!(
            s.is_closing(),
            closes,
            "{}",
            String::from_utf8_lossy(request)
        );
        if closes {
            assert!(respond(&mut s, 200, "x").is_err());
        }
    }
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    events(&mut s);
    let mut r = Response::new(200);
    r.headers.append("Connection", "keep-alive").unwrap();
    r.headers.append("Content-Length", "0").unwrap();
    s.send(Event::Head(r)).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert!(!s.is_closing());

    // A close-delimited response ends the connection.
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    events(&mut s);
    s.send(Event::Head(Response::new(200))).unwrap();
    s.send(Event::Data("to the end".into())).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert!(s.is_closing());
}

#[test]
fn expect_100_continue() {
    let mut s = ServerSession::default();
    s.receive(b"PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    let ev = events(&mut s);
    assert_eq!(ev.len(), 1);
    assert!(s.expects_continue());
    s.send(Event::Head(Response::new(100))).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert_eq!(transmitted(&mut s), "HTTP/1.1 100 Continue\r\n\r\n");
    s.receive(b"hello");
    let ev = events(&mut s);
    assert_eq!(ev.len(), 2);
    respond(&mut s, 201, "").unwrap();
    assert!(transmitted(&mut s).starts_with("HTTP/1.1 201 Created\r\n"));
}

#[test]
fn upgrade_hands_back_the_following_bytes() {
    let mut s = ServerSession::default();
    s.receive(
        b"GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00",
    );
    assert_eq!(events(&mut s).len(), 2);
    let mut r = Response::new(101);
    r.headers.append("Connection", "Upgrade").unwrap();
    r.headers.append("Upgrade", "websocket").unwrap();
    s.send(Event::Head(r)).unwrap();
    s.send(Event::End(Headers::new())).unwrap();
    assert!(s.is_switched());
    assert_eq!(&s.take_remaining()[..], b"\x81\x00");

    // A refused upgrade: the session goes on with HTTP/1.
    let mut s = ServerSession::default();
    s.receive(b"GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(events(&mut s).len(), 2);
    respond(&mut s, 200, "no").unwrap();
    let ev = events(&mut s);
    assert!(matches!(&ev[0], ServerEvent::Message(Event::Head(r)) if r.target == "/next"));

    // 101 to a request that did not ask is refused.
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    events(&mut s);
    assert!(s.send(Event::Head(Response::new(101))).is_err());
}

#[test]
fn clean_close_between_requests() {
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    s.receive_eof();
    let ev = events(&mut s);
    assert_eq!(ev.last(), Some(&ServerEvent::Closed));
    let mut s = ServerSession::default();
    s.receive(b"GET / HTTP/1.1\r\nHo");
    s.receive_eof();
    assert!(matches!(s.poll_event(), Err(Error::Truncated { .. })));
}

fn client_events(c: &mut ClientSession) -> Vec<ClientEvent> {
    let mut out = Vec::new();
    while let Some(e) = c.poll_event().unwrap() {
        out.push(e);
    }
    out
}

fn get(c: &mut ClientSession, method: &str, target: &str) {
    let mut r = Request::new(method.to_string(), target.to_string());
    r.headers.append("Host", "a").unwrap();
    c.send(Event::Head(r)).unwrap();
    c.send(Event::End(Headers::new())).unwrap();
}

#[test]
fn client_matches_responses_to_requests() {
    let mut c = ClientSession::default();
    get(&mut c, "HEAD", "/1");
    get(&mut c, "GET", "/2");
    c.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    let ev = client_events(&mut c);
    let data: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Message(Event::Data(d)) => Some(d.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(data, ["ok"]);
    assert_eq!(ev.len(), 5);
}

#[test]
fn client_refuses_unsolicited_responses_and_requests_after_close() {
    let mut c = ClientSession::default();
    c.receive(b"HTTP/1.1 200 OK\r\n\r\n");
    assert!(matches!(c.poll_event(), Err(Error::Syntax { .. })));

    let mut c = ClientSession::default();
    get(&mut c, "GET", "/");
    c.receive(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    client_events(&mut c);
    assert!(c.is_closing());
    let mut r = Request::new("GET", "/");
    r.headers.append("Host", "a").unwrap();
    assert!(c.send(Event::Head(r)).is_err());
}

#[test]
fn client_switch_keeps_the_server_bytes() {
    let mut c = ClientSession::default();
    let mut r = Request::new("CONNECT", "example.com:443");
    r.headers.append("Host", "example.com:443").unwrap();
    c.send(Event::Head(r)).unwrap();
    c.send(Event::End(Headers::new())).unwrap();
    c.receive(b"HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03\x03");
    assert_eq!(client_events(&mut c).len(), 2);
    assert!(c.is_switched());
    assert_eq!(&c.take_remaining()[..], b"\x16\x03\x03");
}

#[test]
fn client_pipelines_nothing_behind_a_connect() {
    let mut c = ClientSession::default();
    let mut r = Request::new("CONNECT", "example.com:443");
    r.headers.append("Host", "example.com:443").unwrap();
    c.send(Event::Head(r)).unwrap();
    c.send(Event::End(Headers::new())).unwrap();
    let mut next = Request::new("GET", "/");
    next.headers.append("Host", "a").unwrap();
    assert!(matches!(
        c.send(Event::Head(next.clone())),
        Err(Error::Local { .. })
    ));
    // Refused: the connection stays HTTP/1 and the next request may go.
    c.receive(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(client_events(&mut c).len(), 2);
    c.send(Event::Head(next)).unwrap();
}
