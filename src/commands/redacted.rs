//! A trace source whose every answer is masked: the one way commands get traces when the
//! output leaves for machines or other people (json, llm, markdown). Wrapping the source
//! rather than each command's traces means a command cannot forget it — `compare` and
//! `similar`, which fetch traces themselves, once did.

use crate::error::Result;
use crate::model::Trace;
use crate::report::redact::Redactor;
use crate::source::backend::TraceSource;
use crate::source::pushdown::{OperationStats, StatsQuery};
use crate::source::search::{SearchQuery, TraceSummary};

pub struct Redacted {
    inner: Box<dyn TraceSource>,
    redactor: Redactor,
    verbose: u8,
}

impl Redacted {
    pub fn new(inner: Box<dyn TraceSource>, redactor: Redactor, verbose: u8) -> Redacted {
        Redacted {
            inner,
            redactor,
            verbose,
        }
    }

    fn mask(&self, mut trace: Trace) -> Trace {
        let n = self.redactor.trace(&mut trace);
        if n > 0 && self.verbose > 0 {
            eprintln!("tracediag: redacted {n} value(s) in trace {}", trace.id);
        }
        trace
    }

    fn mask_text(&self, s: &mut String) {
        if let std::borrow::Cow::Owned(masked) = self.redactor.text(s) {
            *s = masked;
        }
    }
}

impl TraceSource for Redacted {
    fn describe(&self) -> String {
        self.inner.describe()
    }

    fn trace(&self, id: &str) -> Result<Trace> {
        self.inner.trace(id).map(|t| self.mask(t))
    }

    fn only_trace(&self) -> Result<Trace> {
        self.inner.only_trace().map(|t| self.mask(t))
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        let mut hits = self.inner.search(q)?;
        for h in &mut hits {
            self.mask_text(&mut h.root_service);
            self.mask_text(&mut h.root_operation);
        }
        Ok(hits)
    }

    fn services(&self) -> Result<Vec<String>> {
        let mut names = self.inner.services()?;
        names.iter_mut().for_each(|n| self.mask_text(n));
        Ok(names)
    }

    fn operations(&self, service: &str) -> Result<Vec<String>> {
        let mut names = self.inner.operations(service)?;
        names.iter_mut().for_each(|n| self.mask_text(n));
        Ok(names)
    }

    fn concurrency(&self) -> usize {
        self.inner.concurrency()
    }

    fn loaded(&self) -> Option<(usize, usize)> {
        self.inner.loaded()
    }

    fn traces(&self, ids: &[String]) -> Option<Vec<Result<Trace>>> {
        let all = self.inner.traces(ids)?;
        Some(all.into_iter().map(|r| r.map(|t| self.mask(t))).collect())
    }

    fn count_traces(&self, q: &StatsQuery) -> Option<Result<u64>> {
        self.inner.count_traces(q)
    }

    fn stats(&self, q: &StatsQuery) -> Option<Result<Vec<OperationStats>>> {
        let rows = self.inner.stats(q)?;
        Some(rows.map(|mut rows| {
            for r in &mut rows {
                if let Some(s) = r.service.as_mut() {
                    self.mask_text(s);
                }
                if let Some(o) = r.operation.as_mut() {
                    self.mask_text(o);
                }
            }
            rows
        }))
    }
}
