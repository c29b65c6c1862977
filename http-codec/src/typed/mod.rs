//! Typed header fields: parsers and serializers for the fields users reach for first.
