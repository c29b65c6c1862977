//! The zone reader gives the same records and errors however the text is cut into pieces
//! (docs/DESIGN.md: "any split of the input gives the same items as the whole"): at every cut
//! point of a zone that has records, directives, parentheses over lines, comments, quoted
//! strings, multi-byte characters and errors; byte by byte; at arbitrary cut points of arbitrary
//! zone-like text; and through the `io::Read` adapter.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use dns_codec::Record;
use dns_codec::zone::{ZoneError, ZoneLimits, ZoneParser};
use proptest::prelude::*;

/// A zone with a bit of everything, errors included (the reader goes on after each).
const ZONE: &str = "$ORIGIN example.\n\
$TTL 1h\n\
@ IN SOA ns1 hostmaster ( 2024010101 ; serial\n\
\x20        2h 1h 2w 5m )\n\
\x20 NS ns1\n\
ns1 300 IN A 192.0.2.1\n\
www IN 300 TXT \"a \\\"quoted\\\" string; not ( a comment\" ; a comment (\n\
bad A 192.0.2\n\
\x20 AAAA 2001:db8::1\n\
é TXT \"ü\"\n\
x TYPE65280 \\# 2 abcd\n\
\r\n\
svc SVCB 1 . alpn=\"h2,h3\" port=8443\n\
open TXT ( \"x\"\n\
  \"y\" ) )\n\
$TTL x\n\
last MX 10 mail";

/// What `parser` reads from `text` fed in the pieces that end at `cuts`, the reader going on
/// after errors; records as their `Debug` form, which shows every name byte for byte.
fn read_cut(parser: &ZoneParser, text: &[u8], cuts: &[usize]) -> Vec<Result<String, ZoneError>> {
    let mut reader = parser.reader();
    let mut out = Vec::new();
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
        let cut = cut.clamp(from, text.len());
        reader.feed(&text[from..cut]);
        from = cut;
        for r in reader.by_ref() {
            out.push(r.map(|r: Record| format!("{r:?}")));
        }
    }
    reader.finish();
    out.extend(reader.map(|r| r.map(|r| format!("{r:?}"))));
    out
}

fn parser() -> ZoneParser {
    ZoneParser::new()
}

#[test]
fn the_zone_reads_as_expected_whole() {
    let whole = read_cut(&parser(), ZONE.as_bytes(), &[]);
    let summary: Vec<Result<(), (usize, usize)>> = whole
        .iter()
        .map(|r| r.as_ref().map(|_| ()).map_err(|e| (e.line(), e.column())))
        .collect();
    assert_eq!(
        summary,
        [
            Ok(()),       // SOA
            Ok(()),       // NS
            Ok(()),       // A
            Ok(()),       // TXT
            Err((8, 7)),  // bad A
            Ok(()),       // AAAA, owner bad.example.
            Err((10, 1)), // é: not a letter of a name
            Ok(()),       // TYPE65280
            Ok(()),       // SVCB
            Err((15, 7)), // a second )
            Err((16, 6)), // $TTL x
            Ok(()),       // MX, no line end
        ],
        "{whole:#?}"
    );
    // `parse` stops at the first error, the same one.
    let first_error = whole.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert_eq!(&parser().parse(ZONE).unwrap_err(), first_error);
}

#[test]
fn every_cut_in_two_gives_the_same_as_whole() {
    let text = ZONE.as_bytes();
    let whole = read_cut(&parser(), text, &[]);
    for cut in 0..=text.len() {
        assert_eq!(read_cut(&parser(), text, &[cut]), whole, "cut at {cut}");
    }
}

#[test]
fn every_cut_in_three_gives_the_same_as_whole() {
    // Cuts around the multi-byte characters and the parentheses, every pair.
    let text = ZONE.as_bytes();
    let whole = read_cut(&parser(), text, &[]);
    for a in (0..text.len()).step_by(7) {
        for b in a..=text.len() {
            assert_eq!(
                read_cut(&parser(), text, &[a, b]),
                whole,
                "cuts at {a}, {b}"
            );
        }
    }
}

#[test]
fn byte_by_byte_gives_the_same_as_whole() {
    let text = ZONE.as_bytes();
    let cuts: Vec<usize> = (1..text.len()).collect();
    assert_eq!(
        read_cut(&parser(), text, &cuts),
        read_cut(&parser(), text, &[])
    );
}

#[test]
fn the_entry_limit_holds_across_cuts() {
    let limited = ZoneParser::new().limits(ZoneLimits { max_entry_len: 24 });
    let text = ZONE.as_bytes();
    let whole = read_cut(&limited, text, &[]);
    assert!(
        whole
            .iter()
            .any(|r| matches!(r, Err(ZoneError::EntryTooLong { .. })))
    );
    for cut in 0..=text.len() {
        assert_eq!(read_cut(&limited, text, &[cut]), whole, "cut at {cut}");
    }
}

#[test]
fn the_read_adapter_gives_what_the_reader_gives() {
    /// A source that gives one byte per read, and is interrupted now and then.
    struct Trickle<'a>(&'a [u8], usize);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.1 += 1;
            if self.1 % 5 == 0 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let Some((&b, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = b;
            self.0 = rest;
            Ok(1)
        }
    }
    let whole = read_cut(&parser(), ZONE.as_bytes(), &[]);
    let read: Vec<Result<String, ZoneError>> = parser()
        .read(Trickle(ZONE.as_bytes(), 0))
        .map(|r| {
            r.map(|r| format!("{r:?}")).map_err(|e| match e {
                dns_codec::zone::ZoneReadError::Zone(e) => e,
                other => panic!("{other}"),
            })
        })
        .collect();
    assert_eq!(read, whole);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Zone-like text of the characters that matter to the scanner and the tokenizer, cut at
    /// arbitrary points: the same records and errors.
    #[test]
    fn any_cuts_of_zone_like_text_give_the_same(
        text in "([a-c0-9@$. ;()\"\\\\\\t\\r\\né]|A |TXT |\\$TTL 1|MX 1 |IN ){0,60}",
        cuts in proptest::collection::vec(0usize..300, 0..6),
    ) {
        let parser = ZoneParser::new()
            .origin("example.".parse().unwrap())
            .default_ttl(60)
            .limits(ZoneLimits { max_entry_len: 40 });
        let text = text.as_bytes();
        let mut cuts = cuts;
        cuts.sort_unstable();
        let whole = read_cut(&parser, text, &[]);
        prop_assert_eq!(read_cut(&parser, text, &cuts), whole.clone());
        // `parse` gives the records up to the first error, and that error.
        let parsed = parser.parse(std::str::from_utf8(text).unwrap());
        let upto: Vec<String> = whole.iter().map_while(|r| r.clone().ok()).collect();
        match parsed {
            Ok(records) => {
                prop_assert!(whole.iter().all(Result::is_ok));
                let records: Vec<String> = records.iter().map(|r| format!("{r:?}")).collect();
                prop_assert_eq!(records, upto);
            }
            Err(e) => prop_assert_eq!(Some(&e), whole.iter().find_map(|r| r.as_ref().err())),
        }
    }
}
