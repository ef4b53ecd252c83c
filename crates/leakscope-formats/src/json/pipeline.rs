//! The ordered parallel pipeline every document reader shares (NDJSON lines, elements of JSON
//! arrays, concatenated values, BSON documents): the reading thread cuts records into blocks,
//! parser threads flatten each block (the reading thread too, when it would otherwise wait),
//! and the reading thread applies the results in input order — so one thread and many give
//! the same tables, rows and diagnostics.

use super::flat::{self, Out, Shape};
use super::tables::Tables;
use std::collections::BTreeMap;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};

/// Text of the records a parser thread gets at once (bytes).
const BLOCK_BYTES: usize = 2 << 20;
/// Records a parser thread gets at once.
const BLOCK_RECORDS: usize = 8192;

/// How the records of a block are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Json,
    Bson,
}

/// How records are interpreted (fixed for a whole source before parsing starts).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mode {
    pub encoding: Encoding,
    /// Elasticsearch `_bulk` body: action lines are recognised.
    pub bulk: bool,
}

/// One record as cut by the reading thread.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Its bytes in [`Block::text`] (empty for an oversize record).
    pub start: u32,
    pub end: u32,
    /// Line (text) or record number (BSON) where it starts, and its byte offset.
    pub no: u64,
    pub offset: u64,
    /// Which table group it belongs to (see [`Tables::group`]).
    pub group: u32,
    /// A dictionary key that becomes the record's `_key` field (range in the block text).
    pub key: Option<(u32, u32)>,
    /// Skipped for its size.
    pub oversize: bool,
}

/// Records cut by the reading thread for one parser thread, and (after parsing) their parse;
/// blocks are reused, buffers and all.
#[derive(Default)]
pub(crate) struct Block {
    pub text: Vec<u8>,
    pub entries: Vec<Entry>,
    pub items: Items,
}

impl Block {
    fn full(&self) -> bool {
        self.text.len() >= BLOCK_BYTES || self.entries.len() >= BLOCK_RECORDS
    }
}

/// What became of one record (or one of the records an entry held).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// A row: fields `fields` of [`Items::out`].
    Row(Shape),
    /// Not valid: cut short (`eof`) or malformed at `column` (1-based, within the record).
    Bad { eof: bool, column: u64 },
    /// Skipped for its size.
    Oversize,
    /// An Elasticsearch `_bulk` action line.
    Action(super::es::Op),
}

/// One parsed record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rec {
    pub kind: Kind,
    /// Its fields: a range of [`Out::fields`].
    pub fields: (u32, u32),
    pub no: u64,
    pub offset: u64,
    pub group: u32,
    /// The table it belongs to when the record names one (an Elasticsearch `_index`), as a
    /// range of the text.
    pub route: Option<(u32, u32)>,
    /// The record held invalid UTF-8 (replaced with U+FFFD).
    pub invalid_utf8: bool,
}

/// The parse of one block.
#[derive(Default)]
pub(crate) struct Items {
    pub out: Out,
    pub recs: Vec<Rec>,
}

/// Parses every record of `block` into `block.items`.
pub(crate) fn parse(block: &mut Block, mode: Mode) {
    let mut items = std::mem::take(&mut block.items);
    items.out.text.clear();
    items.out.fields.clear();
    items.recs.clear();
    for e in &block.entries {
        if e.oversize {
            items.recs.push(Rec {
                kind: Kind::Oversize,
                fields: (0, 0),
                no: e.no,
                offset: e.offset,
                group: e.group,
                route: None,
                invalid_utf8: false,
            });
            continue;
        }
        let bytes = &block.text[e.start as usize..e.end as usize];
        let key = e.key.map(|(a, b)| &block.text[a as usize..b as usize]);
        match mode.encoding {
            Encoding::Json => parse_json(&mut items, bytes, key, e, mode),
            Encoding::Bson => crate::bson::parse_doc(&mut items, bytes, e),
        }
    }
    block.items = items;
}

fn parse_json(items: &mut Items, bytes: &[u8], key: Option<&[u8]>, e: &Entry, mode: Mode) {
    let (text, invalid_utf8) = match simdutf8::basic::from_utf8(bytes) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    };
    let rec = |kind, fields, route| Rec {
        kind,
        fields,
        no: e.no,
        offset: e.offset,
        group: e.group,
        route,
        invalid_utf8,
    };
    if mode.bulk {
        if let Some(op) = super::es::action(&text, &mut items.out) {
            let n = items.out.fields.len() as u32;
            items.recs.push(rec(Kind::Action(op), (n, n), None));
            return;
        }
    }
    let mark = (items.out.text.len(), items.out.fields.len());
    let first = mark.1 as u32;
    if let Some(k) = key {
        let k = String::from_utf8_lossy(k);
        let key = items.out.push_str("_key");
        let val = items.out.push_str(&k);
        items.out.fields.push(flat::Field { key, val });
    }
    match flat::flatten(&text, &mut items.out) {
        Ok(shape) => {
            let end = items.out.fields.len() as u32;
            if shape == Shape::Object {
                if let Some(hits) = super::es::response_hits(&mut items.out, (first, end)) {
                    for (kind, fields, route) in hits {
                        items.recs.push(rec(kind, fields, route));
                    }
                    return;
                }
            }
            let route = match shape {
                Shape::Object => super::es::hit(&mut items.out, (first, end)),
                _ => None,
            };
            let end = items.out.fields.len() as u32;
            items.recs.push(rec(Kind::Row(shape), (first, end), route));
        }
        Err(err) => {
            items.out.text.truncate(mark.0);
            items.out.fields.truncate(mark.1);
            let column = text[..err.offset.min(text.len())]
                .rfind('\n')
                .map_or(err.offset + 1, |nl| err.offset - nl) as u64;
            let n = mark.1 as u32;
            items.recs.push(rec(
                Kind::Bad {
                    eof: err.eof,
                    column,
                },
                (n, n),
                None,
            ));
        }
    }
}

type Job = (u64, Block);
type Done = (u64, Block);

/// The reading thread's ends of the channels to and from the parser threads.
struct Workers {
    jobs: SyncSender<Job>,
    /// The parser threads' end of `jobs`: the reading thread takes a queued block from it
    /// when it would otherwise wait.
    queued: Arc<Mutex<Receiver<Job>>>,
    done: Receiver<Done>,
}

/// The reading thread's end of the pipeline.
pub(crate) struct Pipeline<'t, 'c, 'o> {
    pub tables: &'t mut Tables<'c, 'o>,
    mode: Mode,
    block: Block,
    spare: Vec<Block>,
    workers: Option<Workers>,
    window: u64,
    sent: u64,
    next: u64,
    ready: BTreeMap<u64, Block>,
}

/// Runs `body` with a pipeline on `threads` threads in all: the calling thread cuts records
/// and applies parsed blocks, `threads - 1` parser threads flatten them, and the calling
/// thread parses queued blocks itself whenever it would otherwise wait (so it neither idles
/// while parsing is behind nor competes for a core while cutting is). One thread: parse on
/// the calling thread.
pub(crate) fn run<R>(
    tables: &mut Tables,
    threads: usize,
    mode: Mode,
    body: impl FnOnce(&mut Pipeline) -> R,
) -> R {
    if threads <= 1 {
        let mut p = Pipeline::new(tables, mode, None, 1);
        let r = body(&mut p);
        p.finish();
        return r;
    }
    let window = threads * 2;
    let (job_tx, job_rx) = sync_channel::<Job>(window);
    let (done_tx, done_rx) = channel::<Done>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let done_tx: Sender<Done> = done_tx.clone();
            let job_rx = Arc::clone(&job_rx);
            scope.spawn(move || loop {
                let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((seq, mut block)) = job else { return };
                parse(&mut block, mode);
                if done_tx.send((seq, block)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let workers = Workers {
            jobs: job_tx,
            queued: job_rx,
            done: done_rx,
        };
        let mut p = Pipeline::new(tables, mode, Some(workers), window as u64);
        let r = body(&mut p);
        p.finish();
        r
    })
}

impl<'t, 'c, 'o> Pipeline<'t, 'c, 'o> {
    fn new(
        tables: &'t mut Tables<'c, 'o>,
        mode: Mode,
        workers: Option<Workers>,
        window: u64,
    ) -> Self {
        Pipeline {
            tables,
            mode,
            block: Block::default(),
            spare: Vec::new(),
            workers,
            window,
            sent: 0,
            next: 0,
            ready: BTreeMap::new(),
        }
    }

    /// True when the sink asked to stop: cutting more records is pointless.
    pub fn stopped(&self) -> bool {
        self.tables.stopped()
    }

    /// The block being filled, to append a record's bytes to before [`Pipeline::push`].
    pub fn text(&mut self) -> &mut Vec<u8> {
        &mut self.block.text
    }

    /// Adds a record whose bytes were appended to [`Pipeline::text`] from `start` on.
    pub fn push(
        &mut self,
        start: usize,
        no: u64,
        offset: u64,
        group: u32,
        key: Option<(u32, u32)>,
    ) {
        let end = self.block.text.len() as u32;
        self.block.entries.push(Entry {
            start: start as u32,
            end,
            no,
            offset,
            group,
            key,
            oversize: false,
        });
        if self.block.full() {
            self.submit();
        }
    }

    /// Adds a record that was skipped for its size.
    pub fn push_oversize(&mut self, no: u64, offset: u64, group: u32) {
        let at = self.block.text.len() as u32;
        self.block.entries.push(Entry {
            start: at,
            end: at,
            no,
            offset,
            group,
            key: None,
            oversize: true,
        });
        if self.block.full() {
            self.submit();
        }
    }

    /// Applies everything cut so far (in order) before the caller acts on the tables itself.
    pub fn drain(&mut self) {
        self.submit();
        while self.next < self.sent {
            self.receive_one();
        }
    }

    /// Sends the current block to a parser (or parses it here with one thread).
    fn submit(&mut self) {
        if self.block.entries.is_empty() {
            return;
        }
        let mut block = self.spare.pop().unwrap_or_default();
        block.text.clear();
        block.entries.clear();
        let mut block = std::mem::replace(&mut self.block, block);
        if self.workers.is_none() {
            parse(&mut block, self.mode);
            self.tables.apply(&block.items);
            self.recycle(block);
            return;
        }
        while self.sent - self.next >= self.window {
            self.receive_one();
        }
        let sent = self.sent;
        if let Some(w) = &self.workers {
            if w.jobs.send((sent, block)).is_ok() {
                self.sent += 1;
            }
        }
    }

    /// Takes one parsed block: a finished one, else a queued one parsed here, else the next
    /// to finish; applies every block that is next in order.
    fn receive_one(&mut self) {
        let Some(w) = &self.workers else { return };
        let got = match w.done.try_recv() {
            Ok(done) => Ok(done),
            Err(TryRecvError::Disconnected) => Err(()),
            Err(TryRecvError::Empty) => {
                // `try_lock`: a parser thread waiting for work holds the lock, and then
                // nothing is queued.
                let job = match w.queued.try_lock() {
                    Ok(rx) => rx.try_recv().ok(),
                    Err(_) => None,
                };
                match job {
                    Some((seq, mut block)) => {
                        parse(&mut block, self.mode);
                        Ok((seq, block))
                    }
                    None => w.done.recv().map_err(|_| ()),
                }
            }
        };
        let Ok((seq, block)) = got else {
            self.next = self.sent;
            return;
        };
        self.ready.insert(seq, block);
        while let Some(block) = self.ready.remove(&self.next) {
            self.next += 1;
            self.tables.apply(&block.items);
            self.recycle(block);
        }
    }

    fn recycle(&mut self, block: Block) {
        if self.spare.len() < self.window as usize + 1 {
            self.spare.push(block);
        }
    }

    fn finish(&mut self) {
        self.drain();
        self.workers = None;
    }
}
