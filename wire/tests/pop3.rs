//! Runs the built `wire` binary against the `## pop3` part of the contract in
//! `docs/wire-json.md` (and its additions there).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use support::{Run, error_of, jsonl, wire};

use serde_json::{Value, json};

/// `wire decode pop3` with `args` after it.
fn decode(args: &[&str], input: &[u8]) -> Run {
    let mut all = vec!["decode", "pop3"];
    all.extend_from_slice(args);
    wire(&all, input)
}

/// `wire decode pop3 --role client --answers <answers>` (no `--answers` when empty).
fn decode_client(answers: &str, input: &[u8]) -> Run {
    if answers.is_empty() {
        decode(&["--role", "client"], input)
    } else {
        decode(&["--role", "client", "--answers", answers], input)
    }
}

/// `--role role` and, when not empty, `--answers answers`.
fn options<'a>(role: &'a str, answers: &'a str) -> Vec<&'a str> {
    let mut args = vec!["--role", role];
    if !answers.is_empty() {
        args.extend_from_slice(&["--answers", answers]);
    }
    args
}

/// Encodes `items` as `role` (with `answers`), checks the bytes, decodes them back with the
/// same options, and checks the items.
fn roundtrip(role: &str, answers: &str, items: &[Value], expected_bytes: &[u8]) {
    let mut args = vec!["encode", "pop3"];
    args.extend(options(role, answers));
    let encoded = wire(&args, &jsonl(items));
    assert_eq!(encoded.code, 0, "encode: {}", encoded.stderr);
    assert_eq!(
        String::from_utf8_lossy(&encoded.stdout),
        String::from_utf8_lossy(expected_bytes),
        "encode"
    );
    let decoded = decode(&options(role, answers), &encoded.stdout);
    assert_eq!(decoded.code, 0, "decode: {}", decoded.text());
    assert_eq!(decoded.lines(), items, "decode");
}

/// The error's kind and offset, and the objects before it.
fn error_parts(run: &Run) -> (String, u64, Vec<Value>) {
    let error = error_of(run);
    let mut lines = run.lines();
    lines.pop();
    (
        error["kind"].as_str().unwrap().to_string(),
        error["offset"].as_u64().unwrap(),
        lines,
    )
}

/// `wire encode pop3` of `items` as `role` (with `answers`), which must be refused: the message
/// on stderr.
fn encode_refused(role: &str, answers: &str, items: &[Value]) -> String {
    let mut args = vec!["encode", "pop3"];
    args.extend(options(role, answers));
    let run = wire(&args, &jsonl(items));
    assert_eq!(run.code, 1, "{items:?} encoded: {:?}", run.stdout);
    assert!(run.stdout.is_empty());
    run.stderr
}

fn command(name: &str, args: &[&str]) -> Value {
    json!({"type":"command","command":name,"args":args})
}

fn response(ok: bool, code: Option<&str>, text: &str) -> Value {
    json!({"type":"response","ok":ok,"code":code,"text":text})
}

fn multiline(text: &str, lines: &[&str]) -> Value {
    json!({"type":"response","ok":true,"code":null,"text":text,"lines":lines})
}

// --- the contract's examples -----------------------------------------------------------------

#[test]
fn decodes_the_contract_examples_exactly() {
    let run = decode(&[], b"RETR 1\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.text(),
        "{\"type\":\"command\",\"command\":\"RETR\",\"args\":[\"1\"]}\n"
    );
    // --role server is the default; --hex reads the same bytes.
    assert_eq!(
        decode(&["--role", "server"], b"RETR 1\r\n").text(),
        run.text()
    );
    assert_eq!(
        decode(&["--hex"], b"52 45 54 52 20 31 0d 0a").text(),
        run.text()
    );

    // The response's keys in the contract's order; lines only for a multi-line one.
    let run = decode_client(
        "RETR 1,DELE 1",
        b"+OK POP3 ready\r\n+OK 12 octets\r\nSubject: x\r\n\r\n..dot\r\n.\r\n-ERR [IN-USE] locked\r\n",
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.text(),
        r#"{"type":"response","ok":true,"code":null,"text":"POP3 ready"}
{"type":"response","ok":true,"code":null,"text":"12 octets","lines":["Subject: x","",".dot"]}
{"type":"response","ok":false,"code":"IN-USE","text":"locked"}
"#
    );
}

// --- decode, --role server -------------------------------------------------------------------

#[test]
fn every_command_has_its_args() {
    let input = "USER alice\r\nPASS open sesame\r\nAPOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n\
STAT\r\nLIST\r\nLIST 2\r\nRETR 1\r\nDELE 4294967295\r\nNOOP\r\nRSET\r\nTOP 1 0\r\nUIDL\r\n\
UIDL 3\r\nCAPA\r\nAUTH\r\nAUTH PLAIN\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nAUTH EXTERNAL =\r\n\
LANG\r\nLANG fr\r\nretr 01\r\nTop 007 10\r\nUTF8\r\nUSER jörg\r\nQUIT\r\nSTLS\r\n";
    let run = decode(&[], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            command("USER", &["alice"]),
            // PASS takes the rest of the line, spaces included (RFC 1939 §7).
            command("PASS", &["open sesame"]),
            command("APOP", &["mrose", "c4c9334bac560ecc979e58001b3e22fb"]),
            command("STAT", &[]),
            command("LIST", &[]),
            command("LIST", &["2"]),
            command("RETR", &["1"]),
            command("DELE", &["4294967295"]),
            command("NOOP", &[]),
            command("RSET", &[]),
            command("TOP", &["1", "0"]),
            command("UIDL", &[]),
            command("UIDL", &["3"]),
            command("CAPA", &[]),
            command("AUTH", &[]),
            command("AUTH", &["PLAIN"]),
            command("AUTH", &["PLAIN", "AGFsaWNlAHNlY3JldA=="]),
            command("AUTH", &["EXTERNAL", "="]),
            command("LANG", &[]),
            command("LANG", &["fr"]),
            // Keywords in upper case, numbers without leading zeros.
            command("RETR", &["1"]),
            command("TOP", &["7", "10"]),
            command("UTF8", &[]),
            // After UTF8, a UTF-8 user name, its bytes one character each.
            command("USER", &["j\u{c3}\u{b6}rg"]),
            command("QUIT", &[]),
            command("STLS", &[]),
        ]
    );
    // Before UTF8 the same name is refused at its first 8-bit byte.
    let (kind, offset, _) = error_parts(&decode(&[], "USER jörg\r\n".as_bytes()));
    assert_eq!((kind.as_str(), offset), ("syntax", 6));
}

#[test]
fn any_byte_after_stls_is_data_after_stls() {
    let (kind, offset, before) = error_parts(&decode(&[], b"CAPA\r\nSTLS\r\nCAPA\r\n"));
    assert_eq!((kind.as_str(), offset), ("data-after-stls", 12));
    assert_eq!(before.last(), Some(&command("STLS", &[])));
    let (kind, offset, _) = error_parts(&decode(&[], b"STLS\r\n\x16"));
    assert_eq!((kind.as_str(), offset), ("data-after-stls", 6));
    // Nothing after it is fine.
    let run = decode(&[], b"CAPA\r\nSTLS\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
}

#[test]
fn command_errors_name_kind_and_absolute_offset() {
    let long_arg = format!("NOOP\r\nUSER {}\r\n", "a".repeat(41));
    let long_line = format!("NOOP\r\nAUTH PLAIN {}\r\n", "QUFB".repeat(70));
    let cases: Vec<(Vec<u8>, &str, u64, usize)> = vec![
        (b"NOOP\r\nRETR 0\r\n".to_vec(), "syntax", 11, 1),
        (b"NOOP\r\nRETR -1\r\n".to_vec(), "syntax", 11, 1),
        (b"NOOP\r\nRETR 4294967296\r\n".to_vec(), "syntax", 11, 1),
        (b"NOOP\r\nRETR\r\n".to_vec(), "syntax", 10, 1),
        (b"NOOP\r\nRETR 1 2\r\n".to_vec(), "syntax", 12, 1),
        (b"NOOP\r\nTOP 1 4294967296\r\n".to_vec(), "syntax", 12, 1),
        (b"NOOP\r\nNOOP x\r\n".to_vec(), "syntax", 10, 1),
        (b"NOOP\r\nFOO bar\r\n".to_vec(), "unknown-command", 6, 1),
        (b"NOOP\r\nRETRIEVE 1\r\n".to_vec(), "unknown-command", 6, 1),
        (long_arg.into_bytes(), "argument-too-long", 11, 1),
        (long_line.into_bytes(), "line-too-long", 6, 1),
        (b"NOOP\nQUIT\r\n".to_vec(), "bare-line-end", 4, 0),
        (b"NOOP\r\nQUIT\rRSET\r\n".to_vec(), "bare-line-end", 10, 1),
        (b"NOOP\r\nQUIT".to_vec(), "incomplete", 10, 1),
        (b"NOOP\r\nQUIT\r".to_vec(), "incomplete", 11, 1),
    ];
    for (input, kind, offset, objects) in cases {
        let (k, at, before) = error_parts(&decode(&[], &input));
        let shown = String::from_utf8_lossy(&input);
        assert_eq!((k.as_str(), at), (kind, offset), "{shown:?}");
        assert_eq!(before.len(), objects, "{shown:?}");
    }
    // The lines answering an AUTH challenge are not told apart from commands.
    let (kind, offset, _) = error_parts(&decode(&[], b"AUTH PLAIN\r\nAGFsaWNl\r\n"));
    assert_eq!((kind.as_str(), offset), ("unknown-command", 12));
}

// --- decode, --role client -------------------------------------------------------------------

#[test]
fn responses_with_codes() {
    let input = b"+OK ready <1896.697170952@dbc.mtview.ca.us>\r\n\
-ERR [IN-USE] maildrop locked\r\n-ERR [SYS/TEMP] try later\r\n-ERR [LOGIN-DELAY]\r\n\
-ERR [auth] bad\r\n-ERR [X-VENDOR/SUB] other\r\n-ERR [x-vendor] kept as written\r\n\
+OK\r\n+OK  two spaces\r\n-ERR\r\n+OK [IN-USE]x\r\n+OK caf\xc3\xa9\r\n";
    let run = decode_client("", input);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            response(true, None, "ready <1896.697170952@dbc.mtview.ca.us>"),
            response(false, Some("IN-USE"), "maildrop locked"),
            response(false, Some("SYS/TEMP"), "try later"),
            response(false, Some("LOGIN-DELAY"), ""),
            // The codes RFC 2449 and 3206 name are printed in upper case, others as written.
            response(false, Some("AUTH"), "bad"),
            response(false, Some("X-VENDOR/SUB"), "other"),
            response(false, Some("x-vendor"), "kept as written"),
            response(true, None, ""),
            response(true, None, " two spaces"),
            response(false, None, ""),
            response(true, Some("IN-USE"), "x"),
            // UTF-8 text (RFC 6856), its bytes one character each.
            response(true, None, "caf\u{c3}\u{a9}"),
        ]
    );
}

#[test]
fn multiline_responses_are_unstuffed_lines() {
    let input = b"+OK POP3 ready\r\n\
+OK capability list follows\r\nUSER\r\nUIDL\r\nTOP\r\n.\r\n\
+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n\
+OK 1 120\r\n\
+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n.\r\n\
+OK message follows\r\nSubject: dots\r\n\r\n..leading dot\r\n..\r\n...\r\n\r\n. \r\nend\r\n.\r\n\
-ERR no such message\r\n\
+OK top of message follows\r\nSubject: x\r\n\r\n.\r\n\
+OK empty\r\n.\r\n\
+OK 2 320\r\n";
    let run = decode_client(
        "CAPA,LIST,LIST 1,UIDL,RETR 1,RETR 9,TOP 1 0,RETR 2,STAT",
        input,
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            response(true, None, "POP3 ready"),
            multiline("capability list follows", &["USER", "UIDL", "TOP"]),
            multiline("2 messages", &["1 120", "2 200"]),
            response(true, None, "1 120"),
            multiline("", &["1 whqtswO00WBw418f9t5JxYwZ"]),
            // Each dot-leading line loses one dot; a dot alone is "." after unstuffing.
            multiline(
                "message follows",
                &[
                    "Subject: dots",
                    "",
                    ".leading dot",
                    ".",
                    "..",
                    "",
                    " ",
                    "end"
                ]
            ),
            // A negative answer to RETR is single-line; the next response is read after it.
            response(false, None, "no such message"),
            multiline("top of message follows", &["Subject: x", ""]),
            multiline("empty", &[]),
            response(true, None, "2 320"),
        ]
    );
    // Content bytes are ISO-8859-1 characters; a NUL or 8-bit byte is kept.
    let run = decode_client("RETR 1", b"+OK\r\n+OK\r\n\xe9\x00\xff\r\n.\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines()[1], multiline("", &["\u{e9}\u{0}\u{ff}"]));
}

#[test]
fn answers_name_the_commands_after_the_greeting() {
    let input = b"+OK ready\r\n+OK\r\n.x\r\n.\r\n";
    // The greeting is never in the list: the first entry is the answer to the first command.
    for answers in [
        "RETR 1", "RETR", "retr", " RETR 1 ", "TOP", "TOP 1 5", "LIST", "UIDL",
    ] {
        let run = decode_client(answers, input);
        assert_eq!(run.code, 0, "{answers}: {}", run.text());
        assert_eq!(
            run.lines(),
            [response(true, None, "ready"), multiline("", &["x"])],
            "{answers}"
        );
    }
    // A single-line command, or no list at all: the content lines are read as responses.
    for answers in [
        "", "LIST 1", "UIDL 1", "STAT", "DELE", "DELE 1", "USER", "NOOP", "QUIT",
    ] {
        let (kind, offset, before) = error_parts(&decode_client(answers, input));
        assert_eq!((kind.as_str(), offset), ("syntax", 16), "{answers:?}");
        assert_eq!(before.len(), 2, "{answers:?}");
    }
    // Responses beyond the list are single-line.
    let run = decode_client("RETR 1", b"+OK\r\n+OK\r\n.\r\n+OK 1 2\r\n+OK\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines().len(), 4);
    // The greeting alone, with commands that were never answered: fine.
    let run = decode_client("RETR 1,QUIT", b"+OK ready\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines(), [response(true, None, "ready")]);
    // --answers may be given several times; the entries add up in order.
    let run = decode(
        &["--role", "client", "--answers", "STAT", "--answers", "LIST"],
        b"+OK\r\n+OK 1 2\r\n+OK\r\n1 2\r\n.\r\n",
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines()[2], multiline("", &["1 2"]));
    // An entry that is not a command is a usage error.
    for bad in [
        "FOO",
        "RETR 0",
        "RETR x",
        "TOP 1",
        "LIST 1 2",
        "",
        "RETR 1,",
        "RETR 1,,LIST",
    ] {
        let run = decode(&["--role", "client", "--answers", bad], b"+OK\r\n");
        assert_eq!(run.code, 2, "{bad:?}: {}", run.text());
        assert!(run.stderr.contains("--answers"), "{}", run.stderr);
    }
}

#[test]
fn auth_challenges_come_before_the_status() {
    let input =
        b"+OK\r\n+ VXNlcm5hbWU6\r\n+ UGFzc3dvcmQ6\r\n+OK logged in\r\n+ \r\n-ERR [AUTH] no\r\n\
+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n";
    let run = decode_client("AUTH LOGIN,AUTH PLAIN,AUTH", input);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            response(true, None, ""),
            json!({"type":"challenge","data":"VXNlcm5hbWU6"}),
            json!({"type":"challenge","data":"UGFzc3dvcmQ6"}),
            response(true, None, "logged in"),
            json!({"type":"challenge","data":""}),
            response(false, Some("AUTH"), "no"),
            // AUTH without a mechanism: the list of mechanisms, multi-line.
            multiline("", &["PLAIN", "LOGIN"]),
        ]
    );
    // A + line answering anything else is not a status line.
    let (kind, offset, _) = error_parts(&decode_client("RETR 1", b"+OK\r\n+ abcd\r\n"));
    assert_eq!((kind.as_str(), offset), ("syntax", 5));
    // A challenge must be padded base64: "abc" lacks its "=" at the end of the line.
    let (kind, offset, _) = error_parts(&decode_client("AUTH PLAIN", b"+OK\r\n+ abc\r\n"));
    assert_eq!((kind.as_str(), offset), ("syntax", 10));
}

#[test]
fn data_after_a_positive_answer_to_stls_is_refused() {
    // The injection of the issue's table: all in one read to the client.
    let input = b"+OK ready\r\n+OK Begin TLS\r\n+OK\r\nPLAIN\r\n.\r\n";
    let (kind, offset, before) = error_parts(&decode_client("STLS,CAPA", input));
    assert_eq!((kind.as_str(), offset), ("data-after-stls", 26));
    assert_eq!(before.last(), Some(&response(true, None, "Begin TLS")));
    // Refused STLS: the session goes on in clear.
    let run = decode_client("STLS,CAPA", b"+OK\r\n-ERR no TLS\r\n+OK\r\nUSER\r\n.\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines()[2], multiline("", &["USER"]));
    // Nothing after it is fine.
    let run = decode_client("STLS", b"+OK\r\n+OK Begin TLS\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
}

#[test]
fn response_errors_name_kind_and_absolute_offset() {
    let long = format!("+OK\r\n+OK {}\r\n", "x".repeat(600));
    let cases: Vec<(&str, Vec<u8>, &str, u64, usize)> = vec![
        ("", b"+OK\r\nOK fine\r\n".to_vec(), "syntax", 5, 1),
        ("", b"+OK\r\n+ok\r\n".to_vec(), "syntax", 5, 1),
        ("", b"+OK\r\n+OKAY\r\n".to_vec(), "syntax", 8, 1),
        ("", b"+OK\r\n-ERR [IN-USE\r\n".to_vec(), "syntax", 17, 1),
        ("", b"+OK\r\n-ERR [A//B] x\r\n".to_vec(), "syntax", 13, 1),
        ("", b"+OK\r\n+OK a\x00b\r\n".to_vec(), "syntax", 10, 1),
        ("", long.into_bytes(), "line-too-long", 5, 1),
        ("", b"+OK\r\n+OK\n".to_vec(), "bare-line-end", 8, 1),
        ("", b"+OK\r\n+OK".to_vec(), "incomplete", 8, 1),
        ("", b"+OK\r\n+OK\r".to_vec(), "incomplete", 9, 1),
        // Multi-line responses cut before the terminator, and bare line ends inside them.
        ("RETR 1", b"+OK\r\n+OK\r\n".to_vec(), "incomplete", 10, 1),
        (
            "RETR 1",
            b"+OK\r\n+OK\r\nab\r\ncut".to_vec(),
            "incomplete",
            17,
            1,
        ),
        (
            "RETR 1",
            b"+OK\r\n+OK\r\nab\r\n.".to_vec(),
            "incomplete",
            15,
            1,
        ),
        (
            "RETR 1",
            b"+OK\r\n+OK\r\nab\r\n.\r".to_vec(),
            "incomplete",
            16,
            1,
        ),
        (
            "RETR 1",
            b"+OK\r\n+OK\r\nab\n.\r\n".to_vec(),
            "bare-line-end",
            12,
            1,
        ),
        (
            "RETR 1",
            b"+OK\r\n+OK\r\nab\r.\r\n".to_vec(),
            "bare-line-end",
            12,
            1,
        ),
        (
            "RETR 1",
            b"+OK\r\n+OK\r\nab\r\n.\n".to_vec(),
            "bare-line-end",
            15,
            1,
        ),
        // After content, offsets still count from the start of the input.
        (
            "RETR 1,STAT",
            b"+OK\r\n+OK\r\nab\r\n.\r\n+OK \x01\r\n".to_vec(),
            "syntax",
            21,
            2,
        ),
    ];
    for (answers, input, kind, offset, objects) in cases {
        let (k, at, before) = error_parts(&decode_client(answers, &input));
        let shown = String::from_utf8_lossy(&input);
        assert_eq!((k.as_str(), at), (kind, offset), "{shown:?}");
        assert_eq!(before.len(), objects, "{shown:?}");
    }
}

#[test]
fn a_multiline_response_over_64_mib_is_too_large() {
    let mut input = b"+OK\r\n+OK\r\n".to_vec();
    let line = [b"x".repeat(1022), b"\r\n".to_vec()].concat();
    for _ in 0..65 * 1024 {
        input.extend_from_slice(&line);
    }
    input.extend_from_slice(b".\r\n");
    let (kind, offset, before) = error_parts(&decode_client("RETR 1", &input));
    assert_eq!(
        (kind.as_str(), offset),
        ("too-large", 10 + 64 * 1024 * 1024)
    );
    assert_eq!(before.len(), 1);
}

#[test]
fn lenient_flags_are_the_codecs() {
    let run = decode(&["--lenient", "allow_everything"], b"QUIT\r\n");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("normalize_bare_line_ends"),
        "{}",
        run.stderr
    );
    let lenient = ["--lenient", "normalize_bare_line_ends"];
    let run = decode(&lenient, b"USER a\nPASS b\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [command("USER", &["a"]), command("PASS", &["b"])]
    );
    // In content a bare LF becomes CRLF, but never ends the content: ".<LF>" is a line whose
    // leading dot is unstuffed.
    let mut args = vec!["--role", "client", "--answers", "RETR 1"];
    args.extend_from_slice(&lenient);
    let run = decode(&args, b"+OK\n+OK\r\na\n.\nb\r\n.\r\n");
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines()[1], multiline("", &["a", "", "b"]));
}

// --- encode ----------------------------------------------------------------------------------

#[test]
fn commands_roundtrip() {
    let items = [
        command("CAPA", &[]),
        command("USER", &["alice"]),
        command("PASS", &["open sesame"]),
        command("APOP", &["mrose", "c4c9334bac560ecc979e58001b3e22fb"]),
        command("STAT", &[]),
        command("LIST", &[]),
        command("LIST", &["2"]),
        command("RETR", &["1"]),
        command("DELE", &["4294967295"]),
        command("NOOP", &[]),
        command("RSET", &[]),
        command("TOP", &["1", "0"]),
        command("UIDL", &[]),
        command("UIDL", &["3"]),
        command("AUTH", &[]),
        command("AUTH", &["PLAIN"]),
        command("AUTH", &["PLAIN", "AGFsaWNlAHNlY3JldA=="]),
        command("AUTH", &["EXTERNAL", "="]),
        command("LANG", &[]),
        command("LANG", &["fr"]),
        command("UTF8", &[]),
        command("USER", &["j\u{c3}\u{b6}rg"]),
        command("QUIT", &[]),
        command("STLS", &[]),
    ];
    let bytes = "CAPA\r\nUSER alice\r\nPASS open sesame\r\n\
APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\nSTAT\r\nLIST\r\nLIST 2\r\nRETR 1\r\n\
DELE 4294967295\r\nNOOP\r\nRSET\r\nTOP 1 0\r\nUIDL\r\nUIDL 3\r\nAUTH\r\nAUTH PLAIN\r\n\
AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nAUTH EXTERNAL =\r\nLANG\r\nLANG fr\r\nUTF8\r\nUSER jörg\r\n\
QUIT\r\nSTLS\r\n";
    roundtrip("server", "", &items, bytes.as_bytes());
    // The contract's example is written as the bytes it was decoded from.
    let encoded = wire(&["encode", "pop3"], &jsonl(&[command("RETR", &["1"])]));
    assert_eq!(encoded.stdout, b"RETR 1\r\n");
}

#[test]
fn responses_roundtrip() {
    let items = [
        response(true, None, "POP3 ready <1896.697170952@dbc.mtview.ca.us>"),
        multiline("capability list follows", &["USER", "SASL PLAIN LOGIN"]),
        json!({"type":"challenge","data":"VXNlcm5hbWU6"}),
        json!({"type":"challenge","data":""}),
        response(true, None, "logged in"),
        response(false, Some("IN-USE"), "maildrop locked"),
        response(false, Some("SYS/TEMP"), ""),
        response(false, Some("X-VENDOR/sub"), "other"),
        response(true, None, " two spaces"),
        multiline("2 messages", &["1 120", "2 200"]),
        multiline(
            "message follows",
            &[
                "Subject: dots",
                "",
                ".leading dot",
                ".",
                "..",
                "\u{e9}\u{0}\u{ff}",
            ],
        ),
        // A negative answer to TOP is single-line.
        response(false, None, "no such message"),
        multiline("", &[]),
        response(true, None, "caf\u{c3}\u{a9}"),
        response(true, None, ""),
        response(true, None, "Begin TLS"),
    ];
    // The content line holds the raw bytes 0xe9 0x00 0xff; the text "café" is UTF-8.
    let mut expected = b"+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n\
+OK capability list follows\r\nUSER\r\nSASL PLAIN LOGIN\r\n.\r\n\
+ VXNlcm5hbWU6\r\n+ \r\n+OK logged in\r\n\
-ERR [IN-USE] maildrop locked\r\n-ERR [SYS/TEMP]\r\n-ERR [X-VENDOR/sub] other\r\n+OK  two spaces\r\n\
+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n\
+OK message follows\r\nSubject: dots\r\n\r\n..leading dot\r\n..\r\n...\r\n\xe9\x00\xff\r\n.\r\n\
-ERR no such message\r\n+OK\r\n.\r\n"
        .to_vec();
    expected.extend_from_slice("+OK café\r\n+OK\r\n+OK Begin TLS\r\n".as_bytes());
    roundtrip(
        "client",
        "CAPA,AUTH LOGIN,USER a,PASS b,LIST 1,STAT,LIST,RETR 1,TOP 1 5,UIDL,NOOP,RSET,STLS",
        &items,
        &expected,
    );
}

#[test]
fn encode_refuses_what_would_not_decode_as_itself() {
    let cmd = |v: Value| vec![v];
    let cases: Vec<(Vec<Value>, &str)> = vec![
        (cmd(command("USER", &["a\r\nDELE 1"])), "CR or LF"),
        (cmd(command("RETR", &["1\n"])), "CR or LF"),
        (cmd(command("FOO", &[])), "not a command"),
        (
            cmd(command("retr", &["1"])),
            "not in the form decode prints",
        ),
        (
            cmd(command("RETR", &["01"])),
            "not in the form decode prints",
        ),
        (cmd(command("RETR", &["0"])), "not a command"),
        (cmd(command("RETR", &[])), "not a command"),
        (cmd(command("RETR", &["1", "2"])), "not a command"),
        (cmd(command("USER", &["a b"])), "not a command"),
        // Two arguments of PASS come back as one.
        (
            cmd(command("PASS", &["a", "b"])),
            "not in the form decode prints",
        ),
        (cmd(command("RETR 1", &[])), "not in the form decode prints"),
        (cmd(command("USER", &[&"a".repeat(41)])), "not a command"),
        (cmd(command("USER", &["\u{e9}"])), "not a command"),
        (cmd(command("USER", &["a\u{100}"])), "above U+00FF"),
        (
            cmd(command("AUTH", &["PLAIN", &"QUFB".repeat(70)])),
            "cannot be written",
        ),
        (cmd(command("AUTH", &["PLAIN", "abc"])), "not a command"),
        (
            cmd(json!({"type":"command","command":"QUIT"})),
            "missing field \"args\"",
        ),
        (
            cmd(json!({"type":"command","command":"QUIT","args":[],"extra":1})),
            "unexpected field \"extra\"",
        ),
        (
            cmd(json!({"type":"command","command":"LIST","args":[1]})),
            "list of strings",
        ),
        (
            vec![command("STLS", &[]), command("CAPA", &[])],
            "nothing may follow STLS",
        ),
        (cmd(response(true, None, "x")), "type must be \"command\""),
    ];
    for (items, needle) in cases {
        let stderr = encode_refused("server", "", &items);
        assert!(stderr.contains(needle), "{items:?}: {stderr}");
    }

    let one = |v: Value| vec![response(true, None, "ready"), v];
    let cases: Vec<(&str, Vec<Value>, &str)> = vec![
        // Lines on a response decode reads as single-line, and none where it reads lines.
        ("", one(multiline("x", &["a"])), "single-line"),
        ("", vec![multiline("greeting", &[])], "the greeting"),
        ("STAT", one(multiline("x", &["a"])), "single-line"),
        ("RETR 1", one(response(true, None, "x")), "give \"lines\""),
        (
            "RETR 1",
            one(json!({"type":"response","ok":false,"code":null,"text":"no","lines":[]})),
            "never multi-line",
        ),
        (
            "RETR 1",
            one(multiline("", &["a\r\n.\r\n+OK forged"])),
            "CR or LF",
        ),
        ("RETR 1", one(multiline("", &["a\nb"])), "CR or LF"),
        // Text and codes.
        (
            "",
            one(response(true, None, "a\r\n+OK forged")),
            "cannot be written",
        ),
        (
            "",
            one(response(true, None, "[IN-USE] x")),
            "cannot be written",
        ),
        (
            "",
            one(response(false, Some("in-use"), "x")),
            "would not decode as itself",
        ),
        ("", one(response(false, Some("A B"), "x")), "field \"code\""),
        ("", one(response(false, Some(""), "x")), "field \"code\""),
        ("", one(response(true, None, "\u{ff}")), "not UTF-8"),
        (
            "",
            one(response(true, None, &"x".repeat(600))),
            "cannot be written",
        ),
        (
            "",
            one(json!({"type":"response","ok":true,"text":"x"})),
            "missing field \"code\"",
        ),
        (
            "",
            one(json!({"type":"response","ok":"yes","code":null,"text":"x"})),
            "boolean",
        ),
        // Challenges.
        (
            "",
            one(json!({"type":"challenge","data":"VXNlcm5hbWU6"})),
            "AUTH with a mechanism",
        ),
        (
            "AUTH",
            one(json!({"type":"challenge","data":"VXNlcm5hbWU6"})),
            "AUTH with a mechanism",
        ),
        (
            "AUTH PLAIN",
            one(json!({"type":"challenge","data":"abc"})),
            "field \"data\"",
        ),
        (
            "AUTH PLAIN",
            one(json!({"type":"challenge","data":"OK"})),
            "field \"data\"",
        ),
        // STLS.
        (
            "STLS",
            vec![
                response(true, None, "ready"),
                response(true, None, "Begin TLS"),
                response(true, None, ""),
            ],
            "nothing may follow a positive answer to STLS",
        ),
        (
            "",
            one(command("QUIT", &[])),
            "type must be \"response\" or \"challenge\"",
        ),
    ];
    for (answers, items, needle) in cases {
        let stderr = encode_refused("client", answers, &items);
        assert!(stderr.contains(needle), "{answers} {items:?}: {stderr}");
    }
}

/// A small deterministic generator: every combination of a few commands and responses that
/// encode must write and decode must give back (a stand-in for a proptest, as for smtp; the
/// fuzz target `wire_json` covers arbitrary input).
#[test]
fn generated_objects_roundtrip() {
    let mut items = Vec::new();
    for n in [1u64, 9, 10, 4_294_967_295] {
        let n = n.to_string();
        for (name, args) in [
            ("RETR", vec![n.as_str()]),
            ("DELE", vec![n.as_str()]),
            ("LIST", vec![n.as_str()]),
            ("UIDL", vec![n.as_str()]),
            ("TOP", vec![n.as_str(), n.as_str()]),
            ("USER", vec![n.as_str()]),
            ("PASS", vec!["a b  c"]),
        ] {
            items.push(command(name, &args));
        }
    }
    roundtrip_items("server", "", &items);

    let contents: [&[&str]; 7] = [
        &[],
        &[""],
        &["."],
        &["..", "..."],
        &[". ", " ."],
        &["a", "", "b"],
        &["\u{0}\u{7f}\u{80}\u{ff}"],
    ];
    let mut answers = Vec::new();
    let mut responses = vec![response(true, None, "ready")];
    for (i, content) in contents.iter().enumerate() {
        for (answer, multi) in [
            (format!("RETR {}", i + 1), true),
            ("LIST".to_string(), true),
            (format!("LIST {}", i + 1), false),
            ("CAPA".to_string(), true),
            (format!("TOP {} {i}", i + 1), true),
        ] {
            answers.push(answer);
            let text = format!("text {i}");
            responses.push(if multi {
                multiline(&text, content)
            } else {
                response(i % 2 == 0, None, &text)
            });
        }
        answers.push("RETR".to_string());
        responses.push(response(false, Some("SYS/PERM"), ""));
    }
    roundtrip_items("client", &answers.join(","), &responses);
}

/// Encodes and decodes `items` with the same options, and checks they come back.
fn roundtrip_items(role: &str, answers: &str, items: &[Value]) {
    let mut args = vec!["encode", "pop3"];
    args.extend(options(role, answers));
    let encoded = wire(&args, &jsonl(items));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    let decoded = decode(&options(role, answers), &encoded.stdout);
    assert_eq!(decoded.code, 0, "{}", decoded.text());
    assert_eq!(decoded.lines(), items);
}

// --- demo ------------------------------------------------------------------------------------

#[test]
fn demo_shows_a_pop3_session() {
    let run = wire(&["demo"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("== pop3"))
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
    let commands: Vec<&Value> = said
        .iter()
        .filter(|(s, _)| *s == 'C')
        .map(|(_, j)| j)
        .collect();
    assert_eq!(
        commands,
        [
            &command("CAPA", &[]),
            &command("USER", &["alice"]),
            &command("PASS", &["secret"]),
            &command("LIST", &[]),
            &command("RETR", &["1"]),
            &command("DELE", &["1"]),
            &command("QUIT", &[]),
        ]
    );
    // The greeting first, then one response per command, every one positive.
    let responses: Vec<&Value> = said
        .iter()
        .filter(|(s, _)| *s == 'S')
        .map(|(_, j)| j)
        .collect();
    assert_eq!(responses.len(), 8, "{section:#?}");
    assert!(responses.iter().all(|r| r["ok"] == json!(true)));
    assert!(
        responses[1]["lines"]
            .as_array()
            .unwrap()
            .contains(&json!("USER"))
    );
    assert_eq!(responses[4]["lines"], json!(["1 45", "2 23"]));
    // The message: stuffed on the wire, unstuffed in the lines and for the client.
    assert_eq!(
        responses[5]["lines"],
        json!(["Subject: dots", "", ".leading dot", ".", "last line"])
    );
    assert!(
        section
            .iter()
            .any(|l| l.contains(r#"\r\n..leading dot\r\n..\r\nlast line\r\n.\r\n"#)),
        "{section:#?}"
    );
    assert!(
        section
            .iter()
            .any(|l| l.contains("unstuffed")
                && l.contains(r#"\r\n.leading dot\r\n.\r\nlast line\r\n"#)),
        "{section:#?}"
    );
    assert_eq!(responses[7]["text"], json!("1 message deleted, bye"));
}
