//! The question section's entries (RFC 1035 §4.1.2).
//!
//! ```text
//! /                     QNAME                     /
//! |                     QTYPE                     |
//! |                     QCLASS                    |
//! ```

use std::fmt;

use crate::class::Class;
use crate::compress::Compressor;
use crate::cursor::Cursor;
use crate::error::Error;
use crate::name::Name;
use crate::rtype::RType;

/// One entry of the question section (RFC 1035 §4.1.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Question {
    /// QNAME.
    pub name: Name,
    /// QTYPE: a type, or a query-only type such as ANY or AXFR.
    pub qtype: RType,
    /// QCLASS: a class, or ANY.
    pub qclass: Class,
}

/// `name class type`, as dig prints a question (RFC 1035 §5.1 order of fields).
impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.name, self.qclass, self.qtype)
    }
}

impl Question {
    /// A question for `name`, `qtype` in class IN.
    pub fn new(name: Name, qtype: RType) -> Question {
        Question {
            name,
            qtype,
            qclass: Class::IN,
        }
    }

    pub(crate) fn decode(c: &mut Cursor<'_>) -> Result<Question, Error> {
        let name = Name::decode(c)?;
        Ok(Question {
            name,
            qtype: RType(c.u16("QTYPE")?),
            qclass: Class(c.u16("QCLASS")?),
        })
    }

    pub(crate) fn encode(&self, msg: &mut Vec<u8>, compressor: &mut Compressor) {
        compressor.write(&self.name, msg);
        msg.extend_from_slice(&self.qtype.0.to_be_bytes());
        msg.extend_from_slice(&self.qclass.0.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Limits;

    #[test]
    fn valid_and_truncated() {
        let wire = b"\x07example\x00\x00\x01\x00\x01";
        let mut c = Cursor::new(wire, &Limits::default());
        let q = Question::decode(&mut c).unwrap();
        assert_eq!(q, Question::new("example.".parse().unwrap(), RType::A));
        let mut out = Vec::new();
        q.encode(&mut out, &mut Compressor::new());
        assert_eq!(out, wire);
        let mut c = Cursor::new(&wire[..11], &Limits::default());
        assert_eq!(
            Question::decode(&mut c),
            Err(Error::Truncated {
                offset: 11,
                inside: "QCLASS"
            })
        );
    }
}
