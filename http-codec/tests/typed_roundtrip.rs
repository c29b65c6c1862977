//! Typed header fields: `decode(encode(x)) == x` for every type, and no decoder panics on
//! arbitrary bytes (proptest).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use http_codec::typed::{
    CacheControl, Cookie, CookiePair, Directive, HttpDate, MediaType, SameSite, SetCookie,
    form_urlencoded, percent,
};
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

/// Text a quoted-string can carry: HTAB, SP, VCHAR, and UTF-8 as obs-text.
fn quotable() -> impl Strategy<Value = String> {
    "[\t -~é€]{0,12}"
}

/// `<any CHAR except CTLs or ";">` without WSP at the ends (Set-Cookie trims it).
fn av_value() -> impl Strategy<Value = String> {
    "[ -:<-~]{0,12}".prop_map(|s| s.trim_matches([' ', '\t']).to_string())
}

fn cookie_value() -> impl Strategy<Value = String> {
    "[!#-+\\--:<-\\[\\]-~]{0,12}"
}

fn http_date() -> impl Strategy<Value = HttpDate> {
    prop_oneof![
        (0u64..=253_402_300_799).prop_map(|s| HttpDate::from_unix_seconds(s).unwrap()),
        (
            1970u16..=9999,
            1u8..=12,
            1u8..=31,
            0u8..=23,
            0u8..=59,
            0u8..=60
        )
            .prop_map(|(y, mo, d, h, mi, s)| {
                HttpDate::new(y, mo, d.min(28), h, mi, s).unwrap()
            }),
    ]
}

const LONG: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn directive() -> impl Strategy<Value = Directive> {
    let d = |name: &str, value: Option<String>| Directive {
        name: name.to_string(),
        value,
    };
    let delta = prop_oneof![Just(0u32), any::<u32>().prop_map(|v| v % 2_147_483_649)];
    prop_oneof![
        (
            prop::sample::select(vec![
                "max-age",
                "s-maxage",
                "min-fresh",
                "stale-while-revalidate",
                "Stale-If-Error"
            ]),
            delta.clone()
        )
            .prop_map(move |(n, v)| d(n, Some(v.to_string()))),
        prop::sample::select(vec![
            "no-store",
            "no-transform",
            "must-revalidate",
            "proxy-revalidate",
            "public",
            "must-understand",
            "only-if-cached",
            "IMMUTABLE",
            "max-stale",
            "no-cache",
            "private"
        ])
        .prop_map(move |n| d(n, None)),
        proptest::option::of(delta).prop_map(move |v| d("max-stale", v.map(|v| v.to_string()))),
        (
            prop::sample::select(vec!["no-cache", "private"]),
            proptest::collection::vec(token(), 0..3)
        )
            .prop_map(move |(n, names)| d(n, Some(names.join(", ")))),
        (token(), proptest::option::of(quotable())).prop_map(|(n, value)| Directive {
            name: format!("x-{n}"),
            value
        }),
    ]
}

fn set_cookie() -> impl Strategy<Value = SetCookie> {
    (
        (token(), cookie_value(), any::<bool>()),
        proptest::option::of(http_date()),
        proptest::option::of(any::<i64>()),
        proptest::option::of(av_value().prop_filter("Domain is not empty", |d| {
            !d.is_empty() && !d.starts_with('.')
        })),
        proptest::option::of(av_value()),
        (any::<bool>(), any::<bool>()),
        proptest::option::of(prop::sample::select(vec![
            SameSite::Strict,
            SameSite::Lax,
            SameSite::None,
        ])),
        proptest::collection::vec(
            (token(), proptest::option::of(av_value())).prop_map(|(n, v)| (format!("X-{n}"), v)),
            0..3,
        ),
    )
        .prop_map(
            |(
                (name, value, quoted),
                expires,
                max_age,
                domain,
                path,
                (secure, http_only),
                same_site,
                extensions,
            )| SetCookie {
                name,
                value,
                quoted,
                expires,
                max_age,
                domain,
                path,
                secure,
                http_only,
                same_site,
                extensions,
            },
        )
}

fn encoded(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut v = Vec::new();
    f(&mut v);
    v
}

proptest! {
    #[test]
    fn typed_http_date_roundtrip(date in http_date()) {
        let bytes = encoded(|v| date.encode(v));
        prop_assert_eq!(bytes.len(), 29);
        prop_assert_eq!(HttpDate::decode(&bytes).unwrap(), date);
        if date.second() < 60 {
            // A leap second maps onto the next minute's :00, so only the others come back.
            prop_assert_eq!(HttpDate::from_unix_seconds(date.unix_seconds()).unwrap(), date);
        }
    }

    #[test]
    fn typed_http_date_obsolete_formats_agree(date in http_date()) {
        let month = MONTHS[usize::from(date.month()) - 1];
        let weekday = date.weekday();
        let asctime = format!(
            "{} {} {:>2} {:02}:{:02}:{:02} {:04}",
            weekday.short_name(), month, date.day(), date.hour(), date.minute(), date.second(), date.year()
        );
        prop_assert_eq!(HttpDate::decode(asctime.as_bytes()).unwrap(), date);
        if (1970..2070).contains(&date.year()) {
            let rfc850 = format!(
                "{}, {:02}-{}-{:02} {:02}:{:02}:{:02} GMT",
                weekday.long_name(), date.day(), month, date.year() % 100, date.hour(), date.minute(), date.second()
            );
            prop_assert_eq!(LONG.iter().filter(|l| rfc850.starts_with(*l)).count(), 1);
            prop_assert_eq!(HttpDate::decode(rfc850.as_bytes()).unwrap(), date);
        }
    }

    #[test]
    fn typed_media_type_roundtrip(
        type_ in token(),
        subtype in token(),
        params in proptest::collection::vec((token(), quotable()), 0..4),
    ) {
        let m = MediaType { type_, subtype, params };
        let bytes = encoded(|v| m.encode(v));
        prop_assert_eq!(MediaType::decode(&bytes).unwrap(), m);
    }

    #[test]
    fn typed_cache_control_roundtrip(directives in proptest::collection::vec(directive(), 1..6)) {
        let c = CacheControl { directives };
        let bytes = encoded(|v| c.encode(v));
        prop_assert_eq!(CacheControl::decode(&bytes).unwrap(), c);
    }

    #[test]
    fn typed_percent_roundtrip(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let enc = encoded(|v| percent::encode(&bytes, v));
        let decoded = percent::decode(&enc).unwrap();
        prop_assert_eq!(decoded.as_ref(), &bytes[..]);
    }

    #[test]
    fn typed_form_roundtrip(
        pairs in proptest::collection::vec(
            (proptest::collection::vec(any::<u8>(), 0..10), proptest::collection::vec(any::<u8>(), 0..10)),
            0..5,
        )
    ) {
        let enc = encoded(|v| form_urlencoded::encode(&pairs, v));
        prop_assert_eq!(form_urlencoded::decode(&enc).unwrap(), pairs.clone());
        prop_assert_eq!(form_urlencoded::decode_lenient(&enc), pairs);
    }

    #[test]
    fn typed_cookie_roundtrip(
        pairs in proptest::collection::vec((token(), cookie_value(), any::<bool>()), 1..5)
    ) {
        let c = Cookie {
            pairs: pairs
                .into_iter()
                .map(|(name, value, quoted)| CookiePair { name, value, quoted })
                .collect(),
        };
        let bytes = encoded(|v| c.encode(v));
        prop_assert_eq!(Cookie::decode(&bytes).unwrap(), c);
    }

    #[test]
    fn typed_set_cookie_roundtrip(c in set_cookie()) {
        let bytes = encoded(|v| c.encode(v));
        prop_assert_eq!(SetCookie::decode(&bytes).unwrap(), c);
    }

    #[test]
    fn typed_no_decoder_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = HttpDate::decode(&bytes);
        let _ = MediaType::decode(&bytes).map(|m| (m.essence(), m.boundary().is_ok()));
        let _ = CacheControl::decode(&bytes).map(|c| (c.max_age(), c.no_cache().map(|n| n.len()), c.max_stale()));
        let _ = percent::decode(&bytes);
        let _ = form_urlencoded::decode(&bytes);
        let _ = form_urlencoded::decode_lenient(&bytes);
        let _ = Cookie::decode(&bytes);
        let _ = SetCookie::decode(&bytes);
    }

    #[test]
    fn typed_no_decoder_panics_near_valid(
        which in 0usize..4,
        at in 0usize..64,
        byte in any::<u8>(),
    ) {
        // One byte changed in a valid value reaches deeper into each grammar than random bytes.
        let base: &[u8] = match which {
            0 => b"Sun, 06 Nov 1994 08:49:37 GMT",
            1 => b"multipart/form-data; boundary=\"a b\"; charset=utf-8",
            2 => b"max-age=60, no-cache=\"Set-Cookie\", x=\"y\"",
            _ => b"SID=31d4; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=-1; Secure",
        };
        let mut bytes = base.to_vec();
        let i = at % bytes.len();
        bytes[i] = byte;
        let _ = HttpDate::decode(&bytes);
        let _ = MediaType::decode(&bytes);
        let _ = CacheControl::decode(&bytes);
        let _ = SetCookie::decode(&bytes);
        let _ = Cookie::decode(&bytes);
    }
}
