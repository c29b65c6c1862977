//! The target for smtp-codec's server session.
//!
//! Input of `smtp_server_session`: one configuration byte, one count `k`, `k` bytes of the
//! application's decisions (each also sets the size of the next piece of client bytes fed), and
//! the client's bytes. `\0\0` followed by an SMTP dialogue is that dialogue fed whole, every
//! decision an accept, so seeds are readable.

use bytes::BytesMut;
use framing::Decoder;
use smtp_codec::{
    Capability, Domain, Leniency, Limits, Mechanism, Reply, ReplyDecoder, ServerConfig,
    ServerEvent, ServerSession,
};

/// The server's configuration from one byte: bit 0 small limits, bit 1 lenient, bit 2 two
/// recipients at most, bit 3 no STARTTLS, bit 4 no AUTH, bit 5 no CHUNKING, bit 6 no end of
/// stream.
fn server_config(c: u8) -> Option<ServerConfig> {
    let mut config = ServerConfig::new(Domain::new("mx.example").ok()?);
    if c & 1 != 0 {
        config.limits = Limits {
            max_command_line: 64,
            max_reply_line: 512,
            max_reply_lines: 64,
            max_content_line: Some(16),
            max_message_size: 32,
        };
    }
    config.leniency = Leniency::strict().normalize_bare_line_ends(c & 2 != 0);
    if c & 4 != 0 {
        config.max_recipients = 2;
    }
    if c & 8 == 0 {
        config.capabilities.push(Capability::StartTls);
    }
    if c & 16 == 0 {
        config
            .capabilities
            .push(Capability::Auth(vec![Mechanism::new("PLAIN").ok()?]));
    }
    if c & 32 == 0 {
        config.capabilities.push(Capability::Chunking);
    }
    Some(config)
}

/// Arbitrary client bytes, cut as the decisions say, and arbitrary application decisions. The
/// session never panics and always settles; what it transmits is a valid reply stream (the
/// greeting first) with at most one reply per line end the client sent (or per line over the
/// limit), plus the greeting; a
/// valid decision is never refused and an answer with nothing awaited always is; after STARTTLS
/// is accepted it reads nothing until `tls_established`, and `take_remaining` hands back only
/// bytes received after the STARTTLS was read, never one buffered with it.
pub fn smtp_server_session(data: &[u8]) {
    let (&c, rest) = data.split_first().unwrap_or((&0, &[]));
    let (&k, rest) = rest.split_first().unwrap_or((&0, &[]));
    let k = usize::from(k).min(rest.len());
    let (decisions, client) = rest.split_at(k);
    let Some(config) = server_config(c) else {
        return;
    };
    let mut s = ServerSession::new(config);
    let mut next = 0usize;
    let mut decision = || {
        let d = decisions
            .get(next % decisions.len().max(1))
            .copied()
            .unwrap_or(0);
        next += 1;
        d
    };
    let mut wire = BytesMut::new();
    let mut line_ends = 0usize;
    // After an accepted STARTTLS: the bytes fed since, and those handed back.
    let mut switched: Option<(Vec<u8>, Vec<u8>)> = None;
    let mut fed = 0usize;
    let mut polls = 0usize;
    loop {
        let d = decision();
        let n = if decisions.is_empty() {
            client.len()
        } else {
            usize::from(d % 16) + 1
        };
        let end = fed.saturating_add(n).min(client.len());
        let piece = client.get(fed..end).unwrap_or_default();
        fed = end;
        let at_end = fed == client.len();
        line_ends += piece.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
        s.receive(piece);
        if let Some((after, _)) = &mut switched {
            after.extend_from_slice(piece);
        }
        if at_end && c & 64 == 0 {
            s.receive_eof();
        }
        loop {
            polls += 1;
            assert!(polls < 1_000_000, "poll_event does not settle");
            let event = s.poll_event();
            if let Some((after, taken)) = &mut switched {
                assert_eq!(event, Ok(None), "an event after STARTTLS was accepted");
                if d & 0x40 != 0 {
                    taken.extend_from_slice(&s.take_remaining());
                    assert!(
                        after.starts_with(taken),
                        "take_remaining gave bytes not received after STARTTLS"
                    );
                }
                if d & 0x80 != 0 {
                    assert!(s.tls_established().is_ok());
                    switched = None;
                    continue;
                }
                break;
            }
            let event = match event {
                Ok(None) => break,
                Ok(Some(e)) => e,
                Err(_) => continue,
            };
            let d = decision();
            let codes = [421, 450, 451, 452, 550, 551, 552, 553, 554, 535];
            let code = codes.get(usize::from(d >> 4) % codes.len()).copied();
            let refusal = Reply::new(code.unwrap_or(550), ["no"]);
            let result = match event {
                ServerEvent::StartTls => {
                    assert!(
                        s.take_remaining().is_empty(),
                        "bytes buffered with STARTTLS handed back"
                    );
                    switched = Some((Vec::new(), Vec::new()));
                    Ok(())
                }
                ServerEvent::Mail { .. }
                | ServerEvent::Rcpt { .. }
                | ServerEvent::MessageEnd
                | ServerEvent::Auth { .. }
                | ServerEvent::AuthResponse(_) => match (d % 4, refusal) {
                    (1, Ok(r)) => s.refuse(r),
                    (2, _) => s.challenge(&[d; 3]).or_else(|_| s.accept()),
                    _ => s.accept(),
                },
                _ => {
                    assert!(s.accept().is_err(), "an accept with nothing awaited");
                    Ok(())
                }
            };
            assert!(result.is_ok(), "a valid decision refused: {result:?}");
        }
        while let Some(out) = s.poll_transmit() {
            wire.extend_from_slice(&out);
        }
        if at_end {
            break;
        }
    }
    let mut replies = ReplyDecoder::new(Limits::default(), Leniency::strict());
    let mut count = 0usize;
    while let Some(r) = replies.decode(&mut wire).expect("a valid reply stream") {
        if count == 0 {
            assert_eq!(r.code(), 220, "the greeting first");
        }
        count += 1;
    }
    assert!(wire.is_empty(), "a partial reply left: {wire:?}");
    // A line over the limit is answered when the limit is crossed, before its end.
    let long_lines = client.len() / 62;
    assert!(
        count <= line_ends + long_lines + 1,
        "{count} replies for {line_ends} line ends and {} bytes",
        client.len()
    );
}
