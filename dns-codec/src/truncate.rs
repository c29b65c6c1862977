//! Responses that fit a UDP datagram (RFC 1035 §4.2.1, RFC 6891 §6.2.3-6.2.5, RFC 2181 §9).
//!
//! The size: 512 octets for a query without EDNS (RFC 1035 §2.3.4 and §4.2.1); with EDNS, the
//! requestor's UDP payload size, read as 512 when below it (RFC 6891 §6.2.5), and never more
//! than our own ([`udp_limit`]).
//!
//! What goes when a response is too big: whole RRsets, never part of one (RFC 2181 §9: a
//! client must not see an incomplete RRset as if it were complete), from the end: the
//! additional section's last RRset first, then earlier ones, then the authority section's, then
//! the answer's. An RRset is every record with the same owner (compared case-insensitively),
//! class and type, wherever it sits in its section (RFC 2181 §5); an RRSIG travels with the
//! RRset it covers (RFC 4035 §3.1.1). The header, the question and the OPT record always stay
//! (RFC 6891 §7: a response to an EDNS query carries OPT, truncated or not).
//!
//! TC (RFC 1035 §4.1.1) is set when an RRset of the answer or authority section had to go.
//! Dropping from the additional section sets TC only for in-domain glue, the addresses of name
//! servers under the delegation they serve (RFC 9471 §3), since without them the referral
//! cannot be followed; other additional data is left out with TC clear, as RFC 2181 §9 asks
//! ("the TC bit should not be set merely because some extra information could have been
//! included"). [`FitOptions::tc_for_additional`] sets TC for any dropped record instead.
//!
//! Fit *before* signing: a TSIG or SIG(0) record is computed over the final bytes (RFC 8945
//! §5.3), and as the last record of the additional section it would be the first to go.
//!
//! ```
//! use dns_codec::builder::{QueryBuilder, ResponseBuilder};
//! use dns_codec::truncate::fit_response;
//! use dns_codec::{RData, RType, Record};
//! use std::net::Ipv4Addr;
//!
//! let query = QueryBuilder::new("many.example.".parse()?, RType::A).no_edns().build();
//! let mut response = ResponseBuilder::reply_to(&query);
//! for i in 0..40 {
//!     // 40 one-record RRsets, 16 octets each once the owner is compressed.
//!     let owner = format!("h{i:02}.many.example.").parse()?;
//!     response = response.answer(Record::new(owner, 60, RData::A(Ipv4Addr::new(192, 0, 2, i))));
//! }
//! let fitted = fit_response(&query, &response.build())?;
//! assert!(fitted.wire.len() <= 512);
//! assert!(fitted.message.header.tc);
//! assert_eq!(fitted.message.answer.len() + fitted.dropped, 40);
//! # Ok::<(), dns_codec::Error>(())
//! ```

use std::collections::HashMap;

use crate::builder::MIN_UDP_PAYLOAD;
use crate::class::Class;
use crate::compress::Compressor;
use crate::edns::Edns;
use crate::error::Error;
use crate::message::Message;
use crate::name::Name;
use crate::rdata::RData;
use crate::record::Record;
use crate::rtype::RType;

/// RRSIG (RFC 4034 §3): its first two rdata octets are the type it covers.
const RRSIG: RType = RType(46);

/// The most octets a UDP response may take (RFC 1035 §4.2.1, RFC 6891 §6.2.3-6.2.5): 512
/// without EDNS in the request; with it, the requestor's payload size (at least 512), capped
/// by `ours`, our own payload size (also read as at least 512).
pub fn udp_limit(request: Option<&Edns>, ours: u16) -> usize {
    match request {
        None => usize::from(MIN_UDP_PAYLOAD),
        Some(edns) => usize::from(
            edns.udp_payload_size
                .max(MIN_UDP_PAYLOAD)
                .min(ours.max(MIN_UDP_PAYLOAD)),
        ),
    }
}

/// How [`fit_with`] sets TC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FitOptions {
    /// Set TC when any RRset of the additional section is dropped, not only in-domain glue.
    /// Off by default, as RFC 2181 §9 asks; on, a client retries over TCP for data it may not
    /// need.
    pub tc_for_additional: bool,
}

/// A response cut to size: what was kept, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// The message that was encoded: the input less the dropped RRsets, TC set as the module
    /// docs say.
    pub message: Message,
    /// Its wire form, at most the limit.
    pub wire: Vec<u8>,
    /// How many records were dropped (0: the message fit as it was, byte for byte).
    pub dropped: usize,
}

/// Which section a unit of truncation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Answer,
    Authority,
    Additional,
}

/// One RRset: its section and the positions of its records there.
#[derive(Debug)]
struct Unit {
    section: Section,
    records: Vec<usize>,
}

/// Encodes the response to `query` for UDP: [`fit`] to [`udp_limit`] of the query's EDNS and
/// the response's own payload size (512 if the response has no OPT record).
pub fn fit_response(query: &Message, response: &Message) -> Result<Fitted, Error> {
    let ours = response
        .edns
        .as_ref()
        .map_or(MIN_UDP_PAYLOAD, |e| e.udp_payload_size);
    fit(response, udp_limit(query.edns.as_ref(), ours))
}

/// Encodes `message` in at most `limit` octets, dropping whole RRsets from the end if it has
/// to (see the module docs), with the default [`FitOptions`].
pub fn fit(message: &Message, limit: usize) -> Result<Fitted, Error> {
    fit_with(message, limit, FitOptions::default())
}

/// Encodes `message` in at most `limit` octets, dropping whole RRsets from the end if it has
/// to (see the module docs).
///
/// Keeps the longest run of RRsets, in section order, that fits; finding it takes a number of
/// encodings logarithmic in the number of RRsets. Fails with [`Error::TooLarge`] when the
/// header, question and OPT record alone exceed `limit`, and with the encoder's error when the
/// message cannot be encoded at all.
pub fn fit_with(message: &Message, limit: usize, options: FitOptions) -> Result<Fitted, Error> {
    let wire = message.encode()?;
    if wire.len() <= limit {
        return Ok(Fitted {
            message: message.clone(),
            wire,
            dropped: 0,
        });
    }
    let units = units(message);
    // `fits(lo)` holds and `fits(hi)` does not, where `fits(k)` means the first k units fit.
    let (mut lo, mut hi) = (0usize, units.len());
    let mut best = prefix(message, &units, 0);
    let mut best_wire = best.encode()?;
    if best_wire.len() > limit {
        return Err(Error::TooLarge {
            offset: limit as u64,
            limit: limit as u64,
            claimed: best_wire.len() as u64,
        });
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let candidate = prefix(message, &units, mid);
        let candidate_wire = candidate.encode()?;
        if candidate_wire.len() <= limit {
            lo = mid;
            best = candidate;
            best_wire = candidate_wire;
        } else {
            hi = mid;
        }
    }
    let dropped_units = units.get(lo..).unwrap_or_default();
    let glue = in_domain_glue(message);
    let tc = dropped_units.iter().any(|unit| match unit.section {
        Section::Answer | Section::Authority => true,
        Section::Additional => {
            options.tc_for_additional
                || unit.records.iter().any(|&i| {
                    message
                        .additional
                        .get(i)
                        .is_some_and(|r| glue.iter().any(|g| is_glue_for(r, g)))
                })
        }
    });
    let dropped = dropped_units.iter().map(|u| u.records.len()).sum();
    if tc && !best.header.tc {
        best.header.tc = true;
        // TC is one bit of the flags word (RFC 1035 §4.1.1); the length does not change.
        if let Some(flags) = best_wire.get_mut(2) {
            *flags |= 0x02;
        }
    }
    Ok(Fitted {
        message: best,
        wire: best_wire,
        dropped,
    })
}

/// The RRsets of the three sections, in order: within a section, by first appearance.
fn units(message: &Message) -> Vec<Unit> {
    let mut units = Vec::new();
    for (section, records) in [
        (Section::Answer, &message.answer),
        (Section::Authority, &message.authority),
        (Section::Additional, &message.additional),
    ] {
        let mut index: HashMap<(&Name, RType, Class), usize> = HashMap::new();
        for (i, record) in records.iter().enumerate() {
            let key = (&record.name, set_type(record), record.class);
            let unit = *index.entry(key).or_insert_with(|| {
                units.push(Unit {
                    section,
                    records: Vec::new(),
                });
                units.len() - 1
            });
            if let Some(unit) = units.get_mut(unit) {
                unit.records.push(i);
            }
        }
    }
    units
}

/// The type whose RRset `record` belongs to: its own, or for an RRSIG the type it covers
/// (RFC 4034 §3.1.1), so that a signature is dropped with its RRset.
fn set_type(record: &Record) -> RType {
    if record.rtype() != RRSIG {
        return record.rtype();
    }
    let mut rdata = Vec::new();
    match record
        .data
        .encode(record.class, &mut rdata, &mut Compressor::new())
    {
        Ok(()) => match rdata.get(..2) {
            Some(&[high, low]) => RType(u16::from_be_bytes([high, low])),
            _ => RRSIG,
        },
        Err(_) => RRSIG,
    }
}

/// `message` with only its first `keep` units.
fn prefix(message: &Message, units: &[Unit], keep: usize) -> Message {
    let mut kept = [Vec::new(), Vec::new(), Vec::new()];
    for unit in units.iter().take(keep) {
        let slot = match unit.section {
            Section::Answer => 0,
            Section::Authority => 1,
            Section::Additional => 2,
        };
        if let Some(list) = kept.get_mut(slot) {
            list.extend_from_slice(&unit.records);
        }
    }
    let pick = |records: &[Record], mut positions: Vec<usize>| {
        positions.sort_unstable();
        positions
            .into_iter()
            .filter_map(|i| records.get(i).cloned())
            .collect::<Vec<_>>()
    };
    let [answer, authority, additional] = kept;
    Message {
        header: message.header,
        question: message.question.clone(),
        answer: pick(&message.answer, answer),
        authority: pick(&message.authority, authority),
        additional: pick(&message.additional, additional),
        edns: message.edns.clone(),
    }
}

/// Delegations of the authority section: (zone, name server) for each NS record.
fn in_domain_glue(message: &Message) -> Vec<(&Name, &Name)> {
    message
        .authority
        .iter()
        .filter_map(|r| match &r.data {
            RData::Ns(target) if is_at_or_below(target, &r.name) => Some((&r.name, target)),
            _ => None,
        })
        .collect()
}

/// Whether `record` is an address of the in-domain name server of `delegation` (RFC 9471 §2).
fn is_glue_for(record: &Record, delegation: &(&Name, &Name)) -> bool {
    matches!(record.data, RData::A(_) | RData::Aaaa(_)) && record.name == *delegation.1
}

/// Whether `name` is `zone` or a name under it, labels compared case-insensitively.
fn is_at_or_below(name: &Name, zone: &Name) -> bool {
    let name: Vec<&[u8]> = name.labels().collect();
    let zone: Vec<&[u8]> = zone.labels().collect();
    zone.len() <= name.len()
        && name
            .iter()
            .rev()
            .zip(zone.iter().rev())
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{QueryBuilder, ResponseBuilder};
    use bytes::Bytes;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn name(text: &str) -> Name {
        text.parse().unwrap()
    }

    fn a(owner: &str, last: u8) -> Record {
        Record::new(name(owner), 60, RData::A(Ipv4Addr::new(192, 0, 2, last)))
    }

    fn query(edns: Option<u16>) -> Message {
        let q = QueryBuilder::new(name("example."), RType::A).id(1);
        match edns {
            Some(size) => q.udp_payload_size(size).build(),
            None => q.no_edns().build(),
        }
    }

    /// Whether every RRset of `original` is in `kept` whole or not at all, and `kept` has
    /// nothing `original` lacks.
    fn whole_rrsets(original: &Message, kept: &Message) {
        for (all, some) in [
            (&original.answer, &kept.answer),
            (&original.authority, &kept.authority),
            (&original.additional, &kept.additional),
        ] {
            for r in all {
                let key = |x: &Record| (x.name.clone(), set_type(x), x.class);
                let in_set = all.iter().filter(|x| key(x) == key(r)).count();
                let kept_of_set = some.iter().filter(|x| key(x) == key(r)).count();
                assert!(
                    kept_of_set == 0 || kept_of_set == in_set,
                    "RRset of {r:?} cut: {kept_of_set} of {in_set}"
                );
            }
            assert!(some.iter().all(|r| all.contains(r)));
        }
    }

    #[test]
    fn limits() {
        let edns = |size| Edns {
            udp_payload_size: size,
            ..Edns::default()
        };
        assert_eq!(udp_limit(None, 4096), 512);
        assert_eq!(udp_limit(Some(&edns(100)), 4096), 512);
        assert_eq!(udp_limit(Some(&edns(0)), 1232), 512);
        assert_eq!(udp_limit(Some(&edns(1000)), 1232), 1000);
        assert_eq!(udp_limit(Some(&edns(4096)), 1232), 1232);
        assert_eq!(udp_limit(Some(&edns(4096)), 100), 512);
        assert_eq!(udp_limit(Some(&edns(65535)), 65535), 65535);
    }

    #[test]
    fn a_message_that_fits_is_untouched() {
        let q = query(None);
        let response = ResponseBuilder::reply_to(&q)
            .answer(a("example.", 1))
            .build();
        let fitted = fit_response(&q, &response).unwrap();
        assert_eq!(fitted.message, response);
        assert_eq!(fitted.wire, response.encode().unwrap());
        assert_eq!(fitted.dropped, 0);
        assert!(!fitted.message.header.tc);
    }

    /// Two RRsets of 20 A records: 12 + 13 (question) + 20 × 16 + 18 + 19 × 16 = 667 octets.
    fn two_rrsets() -> Message {
        let q = query(None);
        let mut r = ResponseBuilder::reply_to(&q);
        for i in 0..20 {
            r = r.answer(a("example.", i));
        }
        for i in 0..20 {
            r = r.answer(a("b.example.", i));
        }
        r.build()
    }

    #[test]
    fn exactly_fits_and_one_byte_over() {
        let response = two_rrsets();
        let full = response.encode().unwrap().len();
        assert_eq!(full, 12 + 13 + 20 * 16 + (2 + 2 + 10 + 4) + 19 * 16);

        let fitted = fit(&response, full).unwrap();
        assert_eq!((fitted.dropped, fitted.message.header.tc), (0, false));
        assert_eq!(fitted.wire.len(), full);

        // One byte short: the whole second RRset goes, not just its last record.
        let fitted = fit(&response, full - 1).unwrap();
        assert_eq!(fitted.dropped, 20);
        assert!(fitted.message.header.tc);
        assert_eq!(fitted.message.answer, response.answer[..20].to_vec());
        assert_eq!(fitted.wire.len(), 12 + 13 + 20 * 16);
        assert_eq!(Message::decode(&fitted.wire).unwrap(), fitted.message);

        // The first RRset exactly: kept; one byte less: it goes too.
        let first = 12 + 13 + 20 * 16;
        assert_eq!(fit(&response, first).unwrap().message.answer.len(), 20);
        let fitted = fit(&response, first - 1).unwrap();
        assert!(fitted.message.answer.is_empty() && fitted.message.header.tc);
        assert_eq!(fitted.dropped, 40);
        assert_eq!(fitted.message.question, response.question);
        assert_eq!(fitted.wire.len(), 12 + 13);

        // Header and question alone do not fit: an error, not a cut question.
        assert_eq!(
            fit(&response, 24),
            Err(Error::TooLarge {
                offset: 24,
                limit: 24,
                claimed: 25
            })
        );
    }

    #[test]
    fn at_512_without_edns() {
        let q = query(None);
        let mut r = ResponseBuilder::reply_to(&q);
        // One-record RRsets of 16 octets after 25: 30 fill 505, the 31st would make 521.
        for i in 0..40 {
            r = r.answer(a(&format!("h{i:02}.example."), i));
        }
        let response = r.build();
        let fitted = fit_response(&q, &response).unwrap();
        assert!(fitted.wire.len() <= 512);
        assert!(fitted.message.header.tc);
        let kept = fitted.message.answer.len();
        let next = prefix(&response, &units(&response), kept + 1);
        assert!(
            next.encode().unwrap().len() > 512,
            "{kept} kept, one more fits"
        );
        assert_eq!(fitted.dropped, 40 - kept);
        assert_eq!(Message::decode(&fitted.wire).unwrap(), fitted.message);
    }

    #[test]
    fn edns_size_is_used_and_opt_kept() {
        let response_to = |q: &Message| {
            let mut r = ResponseBuilder::reply_to(q).udp_payload_size(1232);
            for i in 0..100 {
                r = r.answer(a(&format!("h{i:02}.example."), i));
            }
            r.build()
        };
        // Requestor says 1000, we say 1232: 1000.
        let q = query(Some(1000));
        let response = response_to(&q);
        let fitted = fit_response(&q, &response).unwrap();
        assert!(fitted.wire.len() <= 1000 && fitted.wire.len() > 1000 - 20);
        assert!(fitted.message.header.tc);
        assert_eq!(fitted.message.edns, response.edns);
        let back = Message::decode(&fitted.wire).unwrap();
        assert_eq!(back.edns.unwrap().udp_payload_size, 1232);
        // Requestor says 4096: capped at our 1232.
        let q = query(Some(4096));
        let fitted = fit_response(&q, &response_to(&q)).unwrap();
        assert!(fitted.wire.len() <= 1232 && fitted.wire.len() > 1232 - 20);
        // Requestor says 200: read as 512.
        let q = query(Some(200));
        let fitted = fit_response(&q, &response_to(&q)).unwrap();
        assert!(fitted.wire.len() <= 512 && fitted.wire.len() > 512 - 20);
    }

    #[test]
    fn additional_first_without_tc_unless_glue() {
        let q = query(None);
        let mut r = ResponseBuilder::reply_to(&q)
            .answer(a("example.", 1))
            .authority(Record::new(
                name("example."),
                60,
                RData::Ns(name("ns.example.")),
            ));
        for i in 0..40 {
            r = r.additional(a(&format!("extra{i:02}.example."), i));
        }
        let response = r.build();
        let fitted = fit(&response, 512).unwrap();
        assert!(!fitted.message.header.tc, "extra data dropped: no TC");
        assert_eq!(fitted.message.answer, response.answer);
        assert_eq!(fitted.message.authority, response.authority);
        assert!(fitted.dropped > 0);
        assert_eq!(Message::decode(&fitted.wire).unwrap(), fitted.message);

        let fitted = fit_with(
            &response,
            512,
            FitOptions {
                tc_for_additional: true,
            },
        )
        .unwrap();
        assert!(fitted.message.header.tc);

        // A referral whose in-domain glue comes last: dropping it sets TC (RFC 9471 §3).
        let mut r = ResponseBuilder::reply_to(&q).authority(Record::new(
            name("example."),
            60,
            RData::Ns(name("ns1.example.")),
        ));
        for i in 0..29 {
            r = r.additional(a(&format!("x{i:02}.other."), i));
        }
        r = r.additional(Record::new(
            name("NS1.example."),
            60,
            RData::Aaaa(Ipv6Addr::LOCALHOST),
        ));
        let referral = r.build();
        let fitted = fit(&referral, 512).unwrap();
        assert!(fitted.dropped >= 1);
        assert!(fitted.message.header.tc, "glue dropped: TC");

        // Sibling glue (a name server outside the delegation) is optional: no TC.
        let mut sibling = referral.clone();
        sibling.authority[0].data = RData::Ns(name("ns1.other."));
        sibling.additional.last_mut().unwrap().name = name("ns1.other.");
        let fitted = fit(&sibling, 512).unwrap();
        assert!(fitted.dropped >= 1 && !fitted.message.header.tc);
    }

    #[test]
    fn sections_go_from_the_end() {
        let q = query(None);
        let mut r = ResponseBuilder::reply_to(&q);
        for i in 0..10 {
            r = r
                .answer(a("example.", i))
                .authority(a("auth.example.", i))
                .additional(a("add.example.", i));
        }
        let response = r.build();
        let sizes: Vec<usize> = (0..=3)
            .map(|k| {
                prefix(&response, &units(&response), k)
                    .encode()
                    .unwrap()
                    .len()
            })
            .collect();
        let fitted = fit(&response, sizes[2]).unwrap();
        assert_eq!(fitted.message.additional, vec![]);
        assert_eq!(fitted.message.authority, response.authority);
        assert!(!fitted.message.header.tc);
        let fitted = fit(&response, sizes[2] - 1).unwrap();
        assert!(fitted.message.authority.is_empty() && fitted.message.header.tc);
        assert_eq!(fitted.message.answer, response.answer);
        let fitted = fit(&response, sizes[1] - 1).unwrap();
        assert!(fitted.message.answer.is_empty() && fitted.message.header.tc);
        assert_eq!(fitted.dropped, 30);
    }

    #[test]
    fn an_rrset_need_not_be_contiguous_and_rrsig_goes_with_it() {
        let q = query(Some(4096));
        let mut rrsig = Vec::new();
        rrsig.extend_from_slice(&RType::A.0.to_be_bytes());
        rrsig.extend_from_slice(&[8, 2, 0, 0, 0, 60]);
        rrsig.extend_from_slice(&[0x70, 0, 0, 0, 0x60, 0, 0, 0, 0x12, 0x34]);
        rrsig.extend_from_slice(b"\x07example\x00");
        rrsig.extend_from_slice(&[0xAB; 64]);
        let rrsig = Record::new(
            name("b.example."),
            60,
            RData::from_wire(RRSIG, Class::IN, &rrsig).unwrap(),
        );
        assert_eq!(set_type(&rrsig), RType::A);
        let mut response = ResponseBuilder::reply_to(&q)
            .answer(a("a.example.", 1))
            .answer(a("B.example.", 1))
            .answer(a("a.example.", 2))
            .answer(rrsig.clone())
            .answer(a("b.example.", 2))
            .build();
        response.edns = None;
        let full = response.encode().unwrap().len();
        let fitted = fit(&response, full - 1).unwrap();
        // b.example's two A records and their RRSIG go; a.example's two stay, in order.
        assert_eq!(
            fitted.message.answer,
            vec![a("a.example.", 1), a("a.example.", 2)]
        );
        assert_eq!(fitted.dropped, 3);
        assert!(fitted.message.header.tc);
        whole_rrsets(&response, &fitted.message);
    }

    #[test]
    fn every_limit_keeps_whole_rrsets_and_the_longest_prefix() {
        let q = query(Some(4096));
        let mut r = ResponseBuilder::reply_to(&q).option(crate::edns::EdnsOption {
            code: 12,
            data: Bytes::from_static(&[0; 7]),
        });
        for i in 0..6u8 {
            let owner = format!("n{}.example.", i % 3);
            r = r
                .answer(a(&owner, i))
                .authority(Record::new(
                    name("example."),
                    60,
                    RData::Ns(name(&format!("ns{}.example.", i % 2))),
                ))
                .additional(a(&format!("ns{}.example.", i % 2), i));
        }
        let response = r.build();
        let full = response.encode().unwrap().len();
        let units = units(&response);
        let minimum = prefix(&response, &units, 0).encode().unwrap().len();
        for limit in minimum..=full + 1 {
            let fitted = fit(&response, limit).unwrap();
            assert!(fitted.wire.len() <= limit);
            assert_eq!(Message::decode(&fitted.wire).unwrap(), fitted.message);
            assert_eq!(fitted.message.question, response.question);
            assert_eq!(fitted.message.edns, response.edns);
            whole_rrsets(&response, &fitted.message);
            let kept = fitted.message.answer.len()
                + fitted.message.authority.len()
                + fitted.message.additional.len();
            assert_eq!(kept + fitted.dropped, 18);
            // The next RRset would not have fit.
            let kept_units = units
                .iter()
                .take_while(|u| {
                    let list = match u.section {
                        Section::Answer => &fitted.message.answer,
                        Section::Authority => &fitted.message.authority,
                        Section::Additional => &fitted.message.additional,
                    };
                    list.len() >= u.records.len()
                        && u.records.iter().all(|&i| {
                            let original = match u.section {
                                Section::Answer => &response.answer,
                                Section::Authority => &response.authority,
                                Section::Additional => &response.additional,
                            };
                            list.contains(&original[i])
                        })
                })
                .count();
            if kept_units < units.len() {
                let more = prefix(&response, &units, kept_units + 1);
                assert!(more.encode().unwrap().len() > limit, "limit {limit}");
            }
        }
        assert!(fit(&response, minimum - 1).is_err());
    }
}
