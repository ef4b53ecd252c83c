//! SQL placeholder.
use crate::ctx::Ctx;
use std::io::Read;
pub(crate) fn read_sql(_ctx: &mut Ctx, _source: &str, _input: &mut dyn Read, _pg: bool) {}
