//! Targets for smtp-codec's sessions.

use bytes::{Buf, BytesMut};
use framing::Decoder;
use smtp_codec::data::{DataDecoder, DataEvent};
use smtp_codec::{
    Capability, ClientConfig, ClientEvent, ClientSession, Command, CommandDecoder, Domain,
    Envelope, Error, ForwardPath, Leniency, Limits, Mailbox, ReversePath, TlsPolicy,
};

/// The message the client sends: a leading dot on the first line and on others, a lone dot.
const CONTENT: &[u8] = b".leading\r\nSubject: x\r\n\r\n.\r\n..two\r\nend\r\n";

fn envelope(utf8: bool) -> Envelope {
    let from = if utf8 {
        "jörg@bücher.example"
    } else {
        "a@example.org"
    };
    let to = ["b@example.net", "c@example.net"]
        .iter()
        .map(|t| ForwardPath::Mailbox(Mailbox::parse(t).expect("a mailbox")))
        .chain([ForwardPath::Postmaster])
        .collect();
    Envelope::new(
        ReversePath::Mailbox(Mailbox::parse(from).expect("a mailbox")),
        to,
    )
}

/// Arbitrary server bytes against the client session: the first byte picks the size of the
/// pieces they are fed in, whether the client asks for STARTTLS, whether its sender needs
/// SMTPUTF8 and the [`TlsPolicy`]; whenever it is ready the client logs in (once, when AUTH is
/// offered), sends two messages and QUIT. It must not panic, and what it sends must read back
/// as a valid command stream: the AUTH answers in order, the DATA content stuffed (and equal to
/// the message) and BDAT chunks of exactly the message.
pub fn smtp_client_session(data: &[u8]) {
    let Some((&flags, script)) = data.split_first() else {
        return;
    };
    let piece = usize::from(flags & 0x0f) + 1;
    let want_tls = flags & 0x10 != 0;
    let utf8 = flags & 0x20 != 0;
    let domain = Domain::new("client.example").expect("a domain");
    let mut config = ClientConfig::new(domain);
    config.tls = match flags >> 6 {
        1 => TlsPolicy::Opportunistic,
        2 => TlsPolicy::Required,
        _ => TlsPolicy::Manual,
    };
    let mut session = ClientSession::new(config);
    let mut sent = Vec::new();
    let (mut mails, mut tls_done, mut quit, mut auth_tried) = (0, false, false, false);
    let mut pieces = script.chunks(piece);
    loop {
        let more = pieces.next();
        match more {
            Some(p) => session.receive(p),
            None => session.receive_eof(),
        }
        loop {
            match session.poll_event() {
                Ok(Some(ClientEvent::StartTlsReady)) => {
                    assert!(session.take_remaining().is_empty());
                    assert!(session.capabilities().is_none());
                    session.tls_established().expect("EHLO after TLS");
                    tls_done = true;
                }
                Ok(Some(ClientEvent::Delivered { accepted, .. })) => {
                    assert!(!accepted.is_empty() && accepted.len() <= 3);
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        if session.is_ready() {
            let offers_tls = session
                .capabilities()
                .is_some_and(|c| c.contains(&Capability::StartTls));
            let offers_auth = session
                .capabilities()
                .is_some_and(|c| !c.auth_mechanisms().is_empty());
            if want_tls && offers_tls && !tls_done {
                session
                    .start_tls()
                    .expect("STARTTLS when offered and ready");
            } else if offers_auth && !auth_tried && !session.is_authenticated() {
                auth_tried = true;
                match session.authenticate(USER, PASSWORD) {
                    Ok(()) | Err(Error::Local { .. }) => {}
                    Err(e) => panic!("authenticate: {e}"),
                }
            } else if mails < 2 {
                mails += 1;
                match session.send_mail(envelope(utf8), CONTENT) {
                    Ok(()) | Err(Error::Local { .. }) => {}
                    Err(e) => panic!("send_mail: {e}"),
                }
            } else if !quit {
                quit = true;
                session.quit().expect("QUIT when ready");
            }
        }
        while let Some(out) = session.poll_transmit() {
            sent.extend_from_slice(&out);
        }
        if more.is_none() {
            break;
        }
    }
    check_commands(&sent);
}

const USER: &str = "alice";
const PASSWORD: &str = "secret";

/// The client's bytes as a server reads them.
fn check_commands(sent: &[u8]) {
    let mut buf = BytesMut::from(sent);
    let mut commands = CommandDecoder::default();
    // AUTH answers sent since the last AUTH; `None` outside an exchange. No command line is one
    // of these three, so they are told apart by their text: LOGIN's user name, then its
    // password, then `*` for any challenge left.
    let mut answers: Option<usize> = None;
    loop {
        if let Some(n) = answers.as_mut() {
            let expected: &[u8] = match n {
                0 => b"YWxpY2U=\r\n",
                1 => b"c2VjcmV0\r\n",
                _ => b"*\r\n",
            };
            if buf.starts_with(expected) || buf.starts_with(b"*\r\n") {
                let len = if buf.starts_with(b"*\r\n") {
                    3
                } else {
                    expected.len()
                };
                buf.advance(len);
                *n = if len == 3 { 2 } else { *n + 1 };
                continue;
            }
        }
        let command = commands.decode(&mut buf);
        if matches!(command, Ok(Some(_))) {
            answers = None;
        }
        match command {
            Ok(Some(Command::Auth { mechanism, initial })) => {
                if mechanism.is("PLAIN") {
                    let raw = initial.expect("PLAIN's initial response").decode();
                    assert_eq!(raw, b"\0alice\0secret");
                    answers = Some(2);
                } else {
                    assert!(mechanism.is("LOGIN") && initial.is_none());
                    answers = Some(0);
                }
            }
            Ok(Some(Command::Data)) => {
                // No command starts with a dot; the content here does (stuffed), and so does the
                // lone dot that ends a DATA answered 354 with no recipient accepted.
                if buf.first() != Some(&b'.') {
                    continue;
                }
                let mut data = DataDecoder::new(Limits::default(), Leniency::strict());
                let mut content = Vec::new();
                loop {
                    match data.decode(&mut buf) {
                        Ok(Some(DataEvent::Data(d))) => content.extend_from_slice(&d),
                        Ok(Some(DataEvent::End)) => break,
                        other => panic!("DATA content: {other:?}"),
                    }
                }
                assert!(content.is_empty() || content == CONTENT, "{content:?}");
            }
            Ok(Some(Command::Bdat { size, last })) => {
                assert!(last);
                assert_eq!(size, CONTENT.len() as u64);
                assert!(buf.starts_with(CONTENT));
                buf.advance(CONTENT.len());
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => panic!("the client sent what is not a command: {e}"),
        }
    }
    assert!(buf.is_empty(), "a command without its CRLF");
}
