//! JSON placeholder.
use crate::ctx::Ctx;
use std::io::Read;
pub(crate) fn read_json(
    _ctx: &mut Ctx,
    _source: &str,
    _name: &str,
    _input: &mut dyn Read,
    _ndjson: bool,
) {
}
