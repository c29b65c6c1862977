//! Runs the built `wire` binary against the `## smtp` part of the contract in
//! `docs/wire-json.md`, and checks the SMTP section of `wire demo`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use support::{error_of, jsonl, wire};

use serde_json::{Value, json};

/// Encodes `items` as `role`, checks the bytes, decodes them back, and checks the items.
fn roundtrip(role: &str, items: &[Value], expected_bytes: &[u8]) {
    let encoded = wire(&["encode", "smtp", "--role", role], &jsonl(items));
    assert_eq!(encoded.code, 0, "encode: {}", encoded.stderr);
    assert_eq!(
        String::from_utf8_lossy(&encoded.stdout),
        String::from_utf8_lossy(expected_bytes),
        "encode"
    );
    let decoded = wire(&["decode", "smtp", "--role", role], &encoded.stdout);
    assert_eq!(decoded.code, 0, "decode: {}", decoded.text());
    assert_eq!(decoded.lines(), items, "decode");
}

/// `wire decode smtp` of `input` as `role`: the error's kind and offset, and the objects before
/// it.
fn decode_error(role: &str, input: &[u8]) -> (String, u64, Vec<Value>) {
    let run = wire(&["decode", "smtp", "--role", role], input);
    let error = error_of(&run);
    let mut lines = run.lines();
    lines.pop();
    (
        error["kind"].as_str().unwrap().to_string(),
        error["offset"].as_u64().unwrap(),
        lines,
    )
}

/// `wire encode smtp` of `items` as `role`, which must be refused: the message on stderr.
fn encode_refused(role: &str, items: &[Value]) -> String {
    let run = wire(&["encode", "smtp", "--role", role], &jsonl(items));
    assert_eq!(run.code, 1, "{items:?} encoded: {:?}", run.stdout);
    assert!(run.stdout.is_empty());
    run.stderr
}

// --- decode, --role server -------------------------------------------------------------------

/// The bytes of the contract's example conversation.
const CONTRACT_INPUT: &[u8] = b"EHLO client.example\r\n\
MAIL FROM:<alice@example.org> SIZE=1200 BODY=8BITMIME\r\n\
RCPT TO:<bob@example.com>\r\n\
DATA\r\n\
Subject: hi\r\n\r\n..leading dot\r\n.\r\n\
QUIT\r\n";

#[test]
fn decodes_the_contract_example_exactly() {
    let run = wire(&["decode", "smtp"], CONTRACT_INPUT);
    assert_eq!(run.code, 0, "{}", run.text());
    // The contract's lines, byte for byte (key order included).
    let expected = r#"{"type":"command","command":"EHLO","domain":"client.example"}
{"type":"command","command":"MAIL","path":"alice@example.org","params":[["SIZE","1200"],["BODY","8BITMIME"]]}
{"type":"command","command":"RCPT","path":"bob@example.com","params":[]}
{"type":"command","command":"DATA"}
{"type":"data","content":"Subject: hi\r\n\r\n.leading dot\r\n"}
{"type":"command","command":"QUIT"}
"#;
    assert_eq!(run.text(), expected);
    // --role server is the default; --hex reads the same bytes.
    let explicit = wire(&["decode", "smtp", "--role", "server"], CONTRACT_INPUT);
    assert_eq!(explicit.text(), expected);
    let hex: String = CONTRACT_INPUT.iter().map(|b| format!("{b:02x} ")).collect();
    let run = wire(&["decode", "smtp", "--hex"], hex.as_bytes());
    assert_eq!(run.text(), expected);
}

#[test]
fn every_command_has_its_fields() {
    let input = b"HELO a.example\r\nEHLO [192.0.2.1]\r\nMAIL FROM:<> SMTPUTF8 ENVID=a+2Bb\r\n\
RCPT TO:<Postmaster> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b@c\r\nRSET\r\nVRFY Smith\r\n\
EXPN \"Example People\"\r\nHELP\r\nHELP MAIL\r\nNOOP\r\nNOOP x\r\nAUTH PLAIN\r\n\
AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nAUTH EXTERNAL =\r\nQUIT\r\n";
    let run = wire(&["decode", "smtp"], input);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"type":"command","command":"HELO","domain":"a.example"}),
            json!({"type":"command","command":"EHLO","domain":"[192.0.2.1]"}),
            json!({"type":"command","command":"MAIL","path":"","params":[["SMTPUTF8",null],["ENVID","a+2Bb"]]}),
            json!({"type":"command","command":"RCPT","path":"Postmaster","params":[["NOTIFY","SUCCESS,DELAY"],["ORCPT","rfc822;b@c"]]}),
            json!({"type":"command","command":"RSET"}),
            json!({"type":"command","command":"VRFY","arg":"Smith"}),
            json!({"type":"command","command":"EXPN","arg":"\"Example People\""}),
            json!({"type":"command","command":"HELP","arg":null}),
            json!({"type":"command","command":"HELP","arg":"MAIL"}),
            json!({"type":"command","command":"NOOP","arg":null}),
            json!({"type":"command","command":"NOOP","arg":"x"}),
            json!({"type":"command","command":"AUTH","mechanism":"PLAIN","initial":null}),
            json!({"type":"command","command":"AUTH","mechanism":"PLAIN","initial":"AGFsaWNlAHNlY3JldA=="}),
            json!({"type":"command","command":"AUTH","mechanism":"EXTERNAL","initial":"="}),
            json!({"type":"command","command":"QUIT"}),
        ]
    );
}

#[test]
fn bdat_chunks_are_data_objects_binary_and_exact() {
    // A chunk holds the bytes that would end DATA content, and is not unstuffed.
    let input = b"BDAT 8\r\n\r\n.\r\n..\rBDAT 0 LAST\r\nQUIT\r\n";
    let run = wire(&["decode", "smtp"], input);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"type":"command","command":"BDAT","size":8,"last":false}),
            json!({"type":"data","content":"\r\n.\r\n..\r"}),
            json!({"type":"command","command":"BDAT","size":0,"last":true}),
            json!({"type":"data","content":""}),
            json!({"type":"command","command":"QUIT"}),
        ]
    );
}

#[test]
fn content_bytes_are_latin1_characters() {
    let run = wire(&["decode", "smtp"], b"DATA\r\n\xe9\x00\xff\r\n.\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines()[1],
        json!({"type":"data","content":"\u{e9}\u{0}\u{ff}\r\n"})
    );
    // A UTF-8 mailbox (SMTPUTF8) shows its bytes, one character each.
    let run = wire(
        &["decode", "smtp"],
        "MAIL FROM:<jö@b> SMTPUTF8\r\n".as_bytes(),
    );
    assert_eq!(run.lines()[0]["path"], json!("j\u{c3}\u{b6}@b"));
}

// --- decode errors ---------------------------------------------------------------------------

#[test]
fn any_byte_after_starttls_is_data_after_starttls() {
    let (kind, offset, before) = decode_error("server", b"EHLO a\r\nSTARTTLS\r\nEHLO a\r\n");
    assert_eq!((kind.as_str(), offset), ("data-after-starttls", 18));
    assert_eq!(
        before.last(),
        Some(&json!({"type":"command","command":"STARTTLS"}))
    );
    let (kind, offset, _) = decode_error("server", b"STARTTLS\r\n\x16");
    assert_eq!((kind.as_str(), offset), ("data-after-starttls", 10));
    // Nothing after it is fine.
    let run = wire(&["decode", "smtp"], b"EHLO a\r\nSTARTTLS\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
}

#[test]
fn input_ending_inside_an_item_is_incomplete_at_its_end() {
    let cases: &[(&[u8], u64, usize)] = &[
        (b"EHLO a\r\nQUIT", 12, 1),
        (b"EHLO a\r\nQUIT\r", 13, 1),
        (b"DATA\r\nSubject: x\r\n", 18, 1),
        (b"DATA\r\nx\r\n.", 10, 1),
        (b"DATA\r\n", 6, 1),
        (b"NOOP\r\nBDAT 10 LAST\r\nabc", 23, 2),
    ];
    for &(input, offset, objects) in cases {
        let (kind, at, before) = decode_error("server", input);
        assert_eq!((kind.as_str(), at), ("incomplete", offset), "{input:?}");
        assert_eq!(before.len(), objects, "{input:?}");
    }
}

#[test]
fn smuggling_variants_are_refused_at_the_bare_line_end() {
    // EHLO a\r\n (8) DATA\r\n (6): the content starts at 14.
    let cases: &[(&[u8], &str, u64)] = &[
        (
            b"EHLO a\r\nDATA\r\nx\r\n.\nMAIL FROM:<a@b>\r\n.\r\n",
            "bare-line-end",
            18,
        ),
        (
            b"EHLO a\r\nDATA\r\nx\n.\nMAIL FROM:<a@b>\r\n.\r\n",
            "bare-line-end",
            15,
        ),
        (b"EHLO a\r\nDATA\r\nx\r\n.\r\r\n.\r\n", "bare-line-end", 18),
        (b"EHLO a\r\nDATA\r\nx\r.\r\n.\r\n", "bare-line-end", 15),
        // A bare LF between commands cannot start a second one.
        (b"EHLO a\nMAIL FROM:<a@b>\r\n", "bare-line-end", 6),
    ];
    for &(input, kind, offset) in cases {
        let (k, at, _) = decode_error("server", input);
        assert_eq!((k.as_str(), at), (kind, offset), "{input:?}");
    }
    // With the codec's own relaxation a bare LF is a line end between commands, and in content
    // it becomes CRLF but never ends the content.
    let run = wire(
        &["decode", "smtp", "--lenient", "normalize_bare_line_ends"],
        b"EHLO a\nDATA\r\nx\n.\nMAIL FROM:<a@b>\r\n.\r\n",
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines()[2],
        json!({"type":"data","content":"x\r\n\r\nMAIL FROM:<a@b>\r\n"})
    );
}

#[test]
fn other_errors_name_kind_and_absolute_offset() {
    let long_command = format!("NOOP\r\nMAIL FROM:<{}@b>\r\n", "a".repeat(1100));
    let long_text = format!("NOOP\r\nDATA\r\nok\r\n{}\r\n.\r\n", "x".repeat(1000));
    let cases: Vec<(Vec<u8>, &str, u64)> = vec![
        (long_command.into_bytes(), "line-too-long", 6),
        // The line's start: NOOP\r\n (6) DATA\r\n (6) ok\r\n (4).
        (long_text.into_bytes(), "line-too-long", 16),
        (b"NOOP\r\nFOO bar\r\n".to_vec(), "unknown-command", 6),
        (b"NOOP\r\nMAIL FROM:<a@b> SIZE=x\r\n".to_vec(), "syntax", 27),
        // After content, offsets still count from the start of the input.
        (
            b"DATA\r\nx\r\n.\r\nMAIL FROM:<a@b> SIZE=x\r\n".to_vec(),
            "syntax",
            33,
        ),
        (
            b"BDAT 2\r\nxyBDAT 1 LAST\r\nzMAIL FROM:<a@b> SIZE=x\r\n".to_vec(),
            "syntax",
            45,
        ),
        (
            b"BDAT 99999999999\r\n".to_vec(),
            "too-large",
            18 + 64 * 1024 * 1024,
        ),
    ];
    for (input, kind, offset) in cases {
        let (k, at, _) = decode_error("server", &input);
        assert_eq!(
            (k.as_str(), at),
            (kind, offset),
            "{:?}",
            String::from_utf8_lossy(&input)
        );
    }
}

// --- decode, --role client -------------------------------------------------------------------

#[test]
fn replies_with_and_without_enhanced_codes() {
    let input = b"220 mx.example ESMTP\r\n\
250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n\
250 2.1.0 OK\r\n\
550-5.1.1 no such\r\n550-5.1.1\r\n550 5.1.1 user\r\n\
250-2.0.0 only the first line\r\n250 carries it\r\n\
451-4.3.0 a\r\n451 4.3.1 b\r\n\
250 2.01.0 leading zero\r\n\
221\r\n";
    let run = wire(&["decode", "smtp", "--role", "client"], input);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"type":"reply","code":220,"enhanced":null,"lines":["mx.example ESMTP"]}),
            json!({"type":"reply","code":250,"enhanced":null,"lines":["mx.example","PIPELINING","SIZE 1000"]}),
            json!({"type":"reply","code":250,"enhanced":"2.1.0","lines":["OK"]}),
            json!({"type":"reply","code":550,"enhanced":"5.1.1","lines":["no such","","user"]}),
            // Not every line carries it: no enhanced code, each line as sent.
            json!({"type":"reply","code":250,"enhanced":null,"lines":["2.0.0 only the first line","carries it"]}),
            json!({"type":"reply","code":451,"enhanced":null,"lines":["4.3.0 a","4.3.1 b"]}),
            json!({"type":"reply","code":250,"enhanced":"2.1.0","lines":["leading zero"]}),
            json!({"type":"reply","code":221,"enhanced":null,"lines":[""]}),
        ]
    );
}

#[test]
fn reply_errors_name_kind_and_offset() {
    let cases: &[(&[u8], &str, u64)] = &[
        (b"250-a\r\n250 b", "incomplete", 12),
        (b"250-a\r\n", "incomplete", 7),
        (b"250 ok\r\n250-a\r\n251 b\r\n", "syntax", 15),
        // The codec names the Reply-code production at its start.
        (b"250 ok\r\n25x\r\n", "syntax", 8),
        (b"250 ok\n250 ok\r\n", "bare-line-end", 6),
    ];
    for &(input, kind, offset) in cases {
        let (k, at, _) = decode_error("client", input);
        assert_eq!((k.as_str(), at), (kind, offset), "{input:?}");
    }
    let long = format!("250 {}\r\n", "x".repeat(600));
    let (k, at, _) = decode_error("client", long.as_bytes());
    assert_eq!((k.as_str(), at), ("line-too-long", 0));
}

// --- encode ----------------------------------------------------------------------------------

#[test]
fn commands_and_content_roundtrip() {
    let items = [
        json!({"type":"command","command":"EHLO","domain":"client.example"}),
        json!({"type":"command","command":"MAIL","path":"alice@example.org","params":[["SIZE","1200"],["BODY","8BITMIME"]]}),
        json!({"type":"command","command":"RCPT","path":"bob@example.com","params":[]}),
        json!({"type":"command","command":"DATA"}),
        json!({"type":"data","content":"Subject: hi\r\n\r\n.leading dot\r\n.\r\n"}),
        json!({"type":"command","command":"MAIL","path":"","params":[["SMTPUTF8",null],["X-Y","z"]]}),
        json!({"type":"command","command":"RCPT","path":"Postmaster","params":[["NOTIFY","NEVER"]]}),
        json!({"type":"command","command":"DATA"}),
        json!({"type":"data","content":""}),
        json!({"type":"command","command":"BDAT","size":5,"last":false}),
        json!({"type":"data","content":"\r\n.\r\n"}),
        json!({"type":"command","command":"BDAT","size":1,"last":true}),
        json!({"type":"data","content":"\u{ff}"}),
        json!({"type":"command","command":"VRFY","arg":"Smith"}),
        json!({"type":"command","command":"EXPN","arg":"\"a b\""}),
        json!({"type":"command","command":"HELP","arg":null}),
        json!({"type":"command","command":"NOOP","arg":"x"}),
        json!({"type":"command","command":"AUTH","mechanism":"PLAIN","initial":"AGFsaWNlAHNlY3JldA=="}),
        json!({"type":"command","command":"AUTH","mechanism":"EXTERNAL","initial":"="}),
        json!({"type":"command","command":"AUTH","mechanism":"LOGIN","initial":null}),
        json!({"type":"command","command":"RSET"}),
        json!({"type":"command","command":"QUIT"}),
        json!({"type":"command","command":"STARTTLS"}),
    ];
    let bytes = b"EHLO client.example\r\n\
MAIL FROM:<alice@example.org> SIZE=1200 BODY=8BITMIME\r\n\
RCPT TO:<bob@example.com>\r\n\
DATA\r\nSubject: hi\r\n\r\n..leading dot\r\n..\r\n.\r\n\
MAIL FROM:<> SMTPUTF8 X-Y=z\r\nRCPT TO:<Postmaster> NOTIFY=NEVER\r\nDATA\r\n.\r\n\
BDAT 5\r\n\r\n.\r\nBDAT 1 LAST\r\n\xff\
VRFY Smith\r\nEXPN \"a b\"\r\nHELP\r\nNOOP x\r\n\
AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nAUTH EXTERNAL =\r\nAUTH LOGIN\r\nRSET\r\nQUIT\r\nSTARTTLS\r\n";
    roundtrip("server", &items, bytes);
    // The contract's example is written as the bytes it was decoded from.
    let decoded = wire(&["decode", "smtp"], CONTRACT_INPUT);
    let encoded = wire(&["encode", "smtp"], &decoded.stdout);
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    assert_eq!(encoded.stdout, CONTRACT_INPUT);
}

#[test]
fn replies_roundtrip() {
    let items = [
        json!({"type":"reply","code":220,"enhanced":null,"lines":["mx.example ESMTP"]}),
        json!({"type":"reply","code":250,"enhanced":null,"lines":["mx.example","PIPELINING","SIZE 1000"]}),
        json!({"type":"reply","code":250,"enhanced":"2.1.0","lines":["OK"]}),
        json!({"type":"reply","code":550,"enhanced":"5.1.1","lines":["no such","","user"]}),
        json!({"type":"reply","code":250,"enhanced":"2.0.0","lines":[""]}),
        json!({"type":"reply","code":250,"enhanced":"2.0.0","lines":[" two spaces"]}),
        json!({"type":"reply","code":250,"enhanced":null,"lines":["2.0.0 only the first line","carries it"]}),
        json!({"type":"reply","code":250,"enhanced":null,"lines":["2.0.0x"]}),
        json!({"type":"reply","code":221,"enhanced":null,"lines":[""]}),
        json!({"type":"reply","code":250,"enhanced":null,"lines":["a",""]}),
    ];
    let bytes = b"220 mx.example ESMTP\r\n\
250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n\
250 2.1.0 OK\r\n\
550-5.1.1 no such\r\n550-5.1.1\r\n550 5.1.1 user\r\n\
250 2.0.0\r\n\
250 2.0.0  two spaces\r\n\
250-2.0.0 only the first line\r\n250 carries it\r\n\
250 2.0.0x\r\n\
221\r\n\
250-a\r\n250\r\n";
    roundtrip("client", &items, bytes);
}

#[test]
fn encode_refuses_what_would_not_decode_as_itself() {
    let cmd = |v: Value| vec![v];
    let cases: Vec<(Vec<Value>, &str)> = vec![
        (
            cmd(
                json!({"type":"command","command":"MAIL","path":"a@b>\r\nRCPT TO:<c@d","params":[]}),
            ),
            "field \"path\"",
        ),
        (
            cmd(json!({"type":"command","command":"RCPT","path":"a@b\n","params":[]})),
            "field \"path\"",
        ),
        (
            cmd(json!({"type":"command","command":"FOO"})),
            "unknown command \"FOO\"",
        ),
        (
            cmd(json!({"type":"command","command":"quit"})),
            "unknown command \"quit\"",
        ),
        (
            cmd(json!({"type":"command","command":"EHLO","domain":"a\u{20ac}"})),
            "above U+00FF",
        ),
        (
            cmd(json!({"type":"command","command":"MAIL","path":"a@b","params":[["size","1"]]})),
            "not in the form decode prints",
        ),
        (
            cmd(json!({"type":"command","command":"MAIL","path":"a@b","params":[["X","a Y=b"]]})),
            "space",
        ),
        (
            cmd(
                json!({"type":"command","command":"MAIL","path":"a@b","params":[["SIZE","1"],["SIZE","2"]]}),
            ),
            "cannot be written",
        ),
        (
            cmd(json!({"type":"command","command":"RCPT","path":"postmaster","params":[]})),
            "field \"path\"",
        ),
        (
            cmd(json!({"type":"command","command":"NOOP"})),
            "missing field \"arg\"",
        ),
        (
            cmd(json!({"type":"command","command":"QUIT","extra":1})),
            "unexpected field \"extra\"",
        ),
        (
            cmd(json!({"type":"command","command":"AUTH","mechanism":"PLAIN","initial":"abc"})),
            "field \"initial\"",
        ),
        (
            vec![
                json!({"type":"command","command":"BDAT","size":3,"last":true}),
                json!({"type":"data","content":"ab"}),
            ],
            "announced 3 octets",
        ),
        (
            vec![json!({"type":"command","command":"DATA"})],
            "without its \"data\" object",
        ),
        (
            vec![
                json!({"type":"command","command":"DATA"}),
                json!({"type":"command","command":"QUIT"}),
            ],
            "followed by its content",
        ),
        (
            vec![json!({"type":"data","content":"x\r\n"})],
            "only after a DATA or BDAT",
        ),
        (
            vec![
                json!({"type":"command","command":"DATA"}),
                json!({"type":"data","content":"no CRLF at the end"}),
            ],
            "must be empty or end with CRLF",
        ),
        (
            vec![
                json!({"type":"command","command":"DATA"}),
                json!({"type":"data","content":"a\r\n.\n.\r\n"}),
            ],
            "bare LF",
        ),
        (
            vec![
                json!({"type":"command","command":"DATA"}),
                json!({"type":"data","content":format!("{}\r\n", "x".repeat(999))}),
            ],
            "cannot be written",
        ),
        (
            vec![
                json!({"type":"command","command":"STARTTLS"}),
                json!({"type":"command","command":"EHLO","domain":"a"}),
            ],
            "nothing may follow STARTTLS",
        ),
        (
            cmd(json!({"type":"reply","code":250,"enhanced":null,"lines":["ok"]})),
            "type must be \"command\" or \"data\"",
        ),
    ];
    for (items, needle) in cases {
        let stderr = encode_refused("server", &items);
        assert!(stderr.contains(needle), "{items:?}: {stderr}");
    }

    let reply = |v: Value| vec![v];
    let cases: Vec<(Vec<Value>, &str)> = vec![
        (
            reply(json!({"type":"reply","code":250,"enhanced":null,"lines":["2.1.0 OK"]})),
            "give it there",
        ),
        (
            reply(json!({"type":"reply","code":250,"enhanced":"5.1.1","lines":["OK"]})),
            "class",
        ),
        (
            reply(json!({"type":"reply","code":250,"enhanced":"2.01.0","lines":["OK"]})),
            "no leading zeros",
        ),
        (
            reply(json!({"type":"reply","code":250,"enhanced":null,"lines":["a\r\n250 forged"]})),
            "not a reply",
        ),
        (
            reply(json!({"type":"reply","code":600,"enhanced":null,"lines":["x"]})),
            "not a reply",
        ),
        (
            reply(json!({"type":"reply","code":250,"enhanced":null,"lines":[]})),
            "not a reply",
        ),
        (
            reply(json!({"type":"reply","code":250,"enhanced":null,"lines":["\u{ff}"]})),
            "not UTF-8",
        ),
        (
            reply(json!({"type":"reply","code":250,"enhanced":null,"lines":["\u{100}"]})),
            "above U+00FF",
        ),
        (
            reply(json!({"type":"command","command":"QUIT"})),
            "type must be \"reply\"",
        ),
    ];
    for (items, needle) in cases {
        let stderr = encode_refused("client", &items);
        assert!(stderr.contains(needle), "{items:?}: {stderr}");
    }
}

/// A small deterministic generator: every combination of a few commands, contents and replies
/// that encode must write and decode must give back (a stand-in for a proptest, as the other
/// protocols of wire have none; the fuzz target `wire_json` covers arbitrary input).
#[test]
fn generated_objects_roundtrip() {
    let contents = [
        "",
        "\r\n",
        ".\r\n",
        "..\r\n",
        ". \r\n",
        "a\r\n.\r\nb\r\n",
        "\u{0}\u{7f}\u{80}\u{ff}\r\n",
        "x\r\n\r\n\r\n",
    ];
    let mut items = Vec::new();
    for (i, content) in contents.iter().enumerate() {
        items.push(json!({"type":"command","command":"MAIL","path":format!("u{i}@example.org"),"params":[["SIZE",i.to_string()]]}));
        items.push(
            json!({"type":"command","command":"RCPT","path":"\"a b\"@[192.0.2.1]","params":[]}),
        );
        items.push(json!({"type":"command","command":"DATA"}));
        items.push(json!({"type":"data","content":content}));
        items.push(json!({"type":"command","command":"BDAT","size":content.chars().count(),"last":i % 2 == 0}));
        items.push(json!({"type":"data","content":content}));
    }
    let encoded = wire(&["encode", "smtp"], &jsonl(&items));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    let decoded = wire(&["decode", "smtp"], &encoded.stdout);
    assert_eq!(decoded.code, 0, "{}", decoded.text());
    assert_eq!(decoded.lines(), items);

    let mut replies = Vec::new();
    for code in [211, 250, 354, 421, 550] {
        for enhanced in [None, Some(format!("{}.1.10", code / 100))] {
            for lines in [vec![""], vec!["a"], vec!["a", ""], vec!["", "b", "c d"]] {
                let enhanced = if code == 354 { None } else { enhanced.clone() };
                replies.push(json!({"type":"reply","code":code,"enhanced":enhanced,"lines":lines}));
            }
        }
    }
    let encoded = wire(&["encode", "smtp", "--role", "client"], &jsonl(&replies));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    let decoded = wire(&["decode", "smtp", "--role", "client"], &encoded.stdout);
    assert_eq!(decoded.code, 0, "{}", decoded.text());
    assert_eq!(decoded.lines(), replies);
}

#[test]
fn lenient_flags_are_the_codecs() {
    let run = wire(
        &["decode", "smtp", "--lenient", "allow_everything"],
        b"QUIT\r\n",
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("normalize_bare_line_ends"),
        "{}",
        run.stderr
    );
    let run = wire(
        &[
            "decode",
            "smtp",
            "--role",
            "client",
            "--lenient",
            "normalize_bare_line_ends",
        ],
        b"250-a\n250 b\r\n",
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines()[0]["lines"], json!(["a", "b"]));
}

// --- demo ------------------------------------------------------------------------------------

#[test]
fn demo_shows_an_smtp_transaction_and_a_refused_smuggling() {
    let run = wire(&["demo"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("== smtp"))
        .skip(1)
        .take_while(|l| !l.starts_with("== "))
        .collect();
    assert!(!section.is_empty(), "{text}");
    let said: Vec<(char, Value)> = section
        .iter()
        .filter_map(|l| {
            let (side, json) = l.split_once(": ")?;
            let side = match side {
                "C" => 'C',
                "S" => 'S',
                _ => return None,
            };
            Some((side, serde_json::from_str(json).unwrap()))
        })
        .collect();
    let has = |side: char, v: Value| said.iter().any(|(s, j)| *s == side && *j == v);
    assert!(has(
        'C',
        json!({"type":"command","command":"EHLO","domain":"client.example"})
    ));
    assert!(said.iter().any(|(s, j)| {
        *s == 'S'
            && j["code"] == 250
            && j["lines"]
                .as_array()
                .unwrap()
                .contains(&json!("PIPELINING"))
    }));
    // The pipelined group, one refused recipient, the content stuffed and unstuffed.
    assert!(
        section.iter().any(|l| l.contains("4 commands pipelined")),
        "{section:#?}"
    );
    assert!(has(
        'S',
        json!({"type":"reply","code":550,"enhanced":"5.1.1","lines":["<nobody@mx.example>: no such user"]})
    ));
    assert!(
        section
            .iter()
            .any(|l| l.contains(r#"\r\n..leading dot\r\n..\r\n"#)),
        "{section:#?}"
    );
    assert!(has(
        'C',
        json!({"type":"data","content":"Subject: dots\r\n\r\n.leading dot\r\n.\r\nlast line\r\n"})
    ));
    assert!(has(
        'S',
        json!({"type":"reply","code":250,"enhanced":"2.0.0","lines":["Message accepted"]})
    ));
    // Smuggling refused by the client session, by wire decode and by the server session.
    assert!(
        section
            .iter()
            .any(|l| l.contains("ClientSession will not send")),
        "{section:#?}"
    );
    assert!(
        section
            .iter()
            .any(|l| l.contains(r#""kind":"bare-line-end""#)),
        "{section:#?}"
    );
    assert!(said.iter().any(|(s, j)| *s == 'S' && j["code"] == 500));
    assert!(!has(
        'C',
        json!({"type":"command","command":"MAIL","path":"admin@mx.example","params":[]})
    ));
    // QUIT last.
    let n = said.len();
    assert_eq!(said[n - 2].1, json!({"type":"command","command":"QUIT"}));
    assert_eq!(said[n - 1].1["code"], 221);
}
