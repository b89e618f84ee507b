//! Reading a long array of spans while a second thread converts them.
//!
//! Decoding a span is two jobs: the parser reads its JSON into a raw struct that borrows the
//! input, then the raw span is converted into the model (ids normalised, strings copied,
//! attributes built). On a million-span trace conversion is about a third of decoding; on
//! a second core it costs no wall time. Raw spans cross in batches over a bounded channel,
//! so at most a few batches are held at once, and they are converted in the order read.
//!
//! Short arrays are converted inline: a thread is worth it only past the first batch.
//! Anything that can reject a span runs on the reading thread, before the span is sent, so
//! an error is located by the parser at the span it is about, exactly as when reading
//! alone; the conversion itself cannot fail.

use serde::de::{Deserialize, SeqAccess};

use super::common::{expected_more, shape_error};
use super::file_bytes::{self, ReadBehind};

/// A raw span that knows where in the input it was read.
pub(crate) trait Located {
    /// The address of text the span borrows from the input (its id), if it borrowed any.
    fn address(&self) -> Option<usize>;
}

/// Raw spans per batch; also how many are read before a thread is started.
const BATCH: usize = 2048;
/// Batches in flight: the reader waits when the converter is this far behind.
const IN_FLIGHT: usize = 4;

/// Make room for about `more` more items in `v`, when it has less: exactly, rather than by
/// doubling. Each array of a document estimates the rest of the file again, a little
/// differently; doubling turned a small shortfall into twice the room (a 100,000-span OTLP
/// file: room for 210,000 spans, with everything read so far copied). A second estimate
/// past the first gets an eighth to spare, so that the next one does not copy again.
pub(crate) fn room_for<T>(v: &mut Vec<T>, more: usize) {
    if v.capacity() - v.len() < more {
        let spare = if v.is_empty() { 0 } else { more / 8 };
        // Room asked for, not required: an estimate past what memory allows is ignored.
        let _ = v.try_reserve_exact(more.saturating_add(spare));
    }
}

/// Where converted spans go.
pub(crate) trait Sink<R> {
    /// About `more` spans will follow: room for them now spares the growing vectors'
    /// copies, and the memory they leave behind (growth by doubling holds up to twice the
    /// final size, which the allocator does not give back while decoding goes on).
    fn expect(&mut self, more: usize);
    /// Convert one raw span.
    fn take(&mut self, raw: R);
}

/// Read every element of `seq` as `R`; `check` each on the reading thread (its message
/// becomes the parser's error there), then convert each into `sink`, in order.
pub(crate) fn read_and_convert<'de, A, R, S>(
    mut seq: A,
    check: impl Fn(&R, usize) -> Result<(), String>,
    sink: &mut S,
) -> Result<(), A::Error>
where
    A: SeqAccess<'de>,
    R: Deserialize<'de> + Located + Send,
    S: Sink<R> + Send,
{
    let mut read = 0usize;
    let mut next = |seq: &mut A| -> Result<Option<R>, A::Error> {
        let Some(raw) = seq.next_element::<R>()? else {
            return Ok(None);
        };
        check(&raw, read).map_err(shape_error::<A::Error>)?;
        read += 1;
        Ok(Some(raw))
    };
    let mut first = Vec::new();
    while first.len() < BATCH {
        match next(&mut seq)? {
            Some(raw) => first.push(raw),
            None => {
                first.into_iter().for_each(|raw| sink.take(raw));
                return Ok(());
            }
        }
    }
    if let Some(spans) = expected_spans(&first) {
        sink.expect(spans);
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<R>>(IN_FLIGHT);
        let converter = scope.spawn(move || {
            let mut behind = None;
            for batch in rx {
                convert_batch(batch, sink, &mut behind);
            }
        });
        let read_rest = || -> Result<(), A::Error> {
            let mut batch = first;
            loop {
                let done = loop {
                    if batch.len() == BATCH {
                        break false;
                    }
                    match next(&mut seq)? {
                        Some(raw) => batch.push(raw),
                        None => break true,
                    }
                };
                // A send fails only when the converter has stopped, which it does only
                // when the channel closes: not before this sender is dropped.
                if tx.send(batch).is_err() || done {
                    return Ok(());
                }
                batch = Vec::with_capacity(BATCH);
            }
        };
        let result = read_rest();
        drop(tx);
        converter
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        result
    })
}

/// How many spans to make room for from a full batch on, when the input is a mapped file:
/// the batch and the rest of the file at the batch's bytes per span.
fn expected_spans<R: Located>(batch: &[R]) -> Option<usize> {
    let (start, end) = (batch.first()?.address()?, batch.last()?.address()?);
    let rest = file_bytes::mapped_after(end)?;
    Some(BATCH + expected_more(BATCH - 1, end - start.min(end), rest))
}

/// Convert a batch into `sink` on the converting thread. The reader is past every batch
/// sent, so once a batch is converted, its bytes and those before it are not read again,
/// and a mapped file's pages holding them can go.
fn convert_batch<R: Located, S: Sink<R>>(
    batch: Vec<R>,
    sink: &mut S,
    behind: &mut Option<ReadBehind>,
) {
    let first = batch.first().and_then(R::address);
    let last = batch.last().and_then(R::address);
    batch.into_iter().for_each(|raw| sink.take(raw));
    if let (Some(from), Some(to)) = (first, last) {
        behind
            .get_or_insert_with(|| ReadBehind::at(from))
            .read_to(to);
    }
}

/// Raw spans handed to the converter of [`feed_alongside`], in order.
pub(crate) struct Feed<'f, R, S> {
    batch: Vec<R>,
    to: FeedTo<'f, R, S>,
}

enum FeedTo<'f, R, S> {
    Inline(&'f mut S),
    Thread(std::sync::mpsc::SyncSender<Vec<R>>),
}

impl<R, S: Sink<R>> Feed<'_, R, S> {
    pub fn push(&mut self, raw: R) {
        match &mut self.to {
            FeedTo::Inline(sink) => sink.take(raw),
            FeedTo::Thread(_) => {
                self.batch.push(raw);
                if self.batch.len() == BATCH {
                    self.flush();
                }
            }
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            if let FeedTo::Thread(tx) = &self.to {
                // A send fails only when the converter has stopped, which it does only when
                // it panics: the join re-raises that.
                let _ = tx.send(batch);
            }
        }
    }
}

/// Run `read`, which pushes a document's raw spans into a [`Feed`], while they are
/// converted into `sink`, in order: on a second thread when `two_threads` (one for the whole
/// document, so no array's last batch is converted while the reader waits), else inline.
/// Spans read before `read` fails are converted too: the caller drops them.
pub(crate) fn feed_alongside<R, S, T>(
    two_threads: bool,
    sink: &mut S,
    read: impl FnOnce(&mut Feed<'_, R, S>) -> T,
) -> T
where
    R: Located + Send,
    S: Sink<R> + Send,
{
    if !two_threads {
        return read(&mut Feed {
            batch: Vec::new(),
            to: FeedTo::Inline(sink),
        });
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<R>>(IN_FLIGHT);
        let converter = scope.spawn(move || {
            let mut behind = None;
            let mut estimated = false;
            for batch in rx {
                // Room for the rest from the first full batch.
                if !estimated && batch.len() == BATCH {
                    estimated = true;
                    if let Some(spans) = expected_spans(&batch) {
                        sink.expect(spans);
                    }
                }
                convert_batch(batch, sink, &mut behind);
            }
        });
        let mut feed = Feed {
            batch: Vec::with_capacity(BATCH),
            to: FeedTo::Thread(tx),
        };
        let out = read(&mut feed);
        feed.flush();
        drop(feed);
        converter
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        out
    })
}

#[cfg(test)]
mod tests {
    use crate::source::{decode, Limits};

    /// A Jaeger document of `n` spans, one per line; `without_id` lacks its spanID.
    fn jaeger(n: usize, without_id: Option<usize>) -> String {
        let spans: Vec<String> = (0..n)
            .map(|i| {
                let id = if Some(i) == without_id {
                    String::new()
                } else {
                    format!("\"spanID\":\"{:016x}\",", i + 1)
                };
                let parent = if i == 0 {
                    String::new()
                } else {
                    format!(",\"references\":[{{\"refType\":\"CHILD_OF\",\"traceID\":\"00000000000000aa\",\"spanID\":\"{:016x}\"}}]", 1)
                };
                format!("{{\"traceID\":\"00000000000000aa\",{id}\"operationName\":\"op{i}\",\"startTime\":{},\"duration\":5,\"processID\":\"p1\"{parent}}}", 1_700_000_000_000_000u64 + i as u64)
            })
            .collect();
        format!(
            "{{\"data\":[{{\"traceID\":\"00000000000000aa\",\"spans\":[\n{}\n],\"processes\":{{\"p1\":{{\"serviceName\":\"svc\"}}}}}}]}}",
            spans.join(",\n")
        )
    }

    #[test]
    fn a_long_array_keeps_its_order() {
        let traces = decode(jaeger(5000, None).as_bytes(), "t", &Limits::default()).unwrap();
        let ops: Vec<&str> = traces[0]
            .spans
            .iter()
            .map(|s| s.operation.as_str())
            .collect();
        let expected: Vec<String> = (0..5000).map(|i| format!("op{i}")).collect();
        assert_eq!(ops, expected);
        assert!(traces[0].spans.iter().all(|s| s.service == "svc"));
    }

    #[test]
    fn a_mapped_file_let_go_behind_the_parser_reads_the_same() {
        // About 8 MB: mapped, and let go of as it is checked and read.
        let text = jaeger(40_000, None);
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
        let path = file.path().to_str().unwrap();
        let from_file = crate::source::load(path, &Limits::default()).unwrap();
        let from_memory = decode(text.as_bytes(), "t", &Limits::default()).unwrap();
        assert_eq!(from_file[0].spans.len(), 40_000);
        assert!(from_file[0].spans == from_memory[0].spans);
        // Room for every span was made once, from the first batch's size, rather than by
        // doubling (which would end at 65,536).
        let room = from_file[0].spans.capacity();
        assert!((40_000..44_000).contains(&room), "{room}");
    }

    #[test]
    fn room_is_made_to_the_estimate_not_by_doubling() {
        use super::room_for;
        let mut v: Vec<u64> = Vec::new();
        room_for(&mut v, 1000);
        assert_eq!(v.capacity(), 1000, "a first estimate is taken as it is");
        v.extend(0..600);
        room_for(&mut v, 300);
        assert_eq!(v.capacity(), 1000, "room enough: nothing done");
        room_for(&mut v, 480);
        assert_eq!(
            v.capacity(),
            600 + 480 + 60,
            "a later, larger estimate: an eighth more"
        );
    }

    #[test]
    fn an_unreadable_span_past_the_first_batch_is_located_where_it_is() {
        for at in [10, 4000] {
            let err = decode(jaeger(5000, Some(at)).as_bytes(), "t", &Limits::default())
                .unwrap_err()
                .to_string();
            // One span per line after the opening line: span #i is on line i + 2, and the
            // parser stands at the start of the next line when the span has been read.
            let wanted = format!(
                "Jaeger span #{at} has no spanID at line {} column 0",
                at + 3
            );
            assert!(err.contains(&wanted), "{err}");
        }
    }
}
