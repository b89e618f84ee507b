//! A trace source whose every answer is masked: the one way commands get traces when the
//! output leaves for machines or other people (json, llm, markdown). Wrapping the source
//! rather than each command's traces means a command cannot forget it — `compare` and
//! `similar`, which fetch traces themselves, once did.

use crate::error::Result;
use std::sync::Mutex;

use crate::model::span_metrics::SpanMetrics;
use crate::model::window_stats::{FailureKey, WindowStats};
use crate::model::Trace;
use crate::report::redact::Redactor;
use crate::source::backend::TraceSource;
use crate::source::pushdown::{OperationStats, StatsQuery};
use crate::source::search::{SearchQuery, TraceSummary};

pub struct Redacted {
    inner: Box<dyn TraceSource>,
    redactor: Redactor,
    verbose: u8,
    /// The last window aggregate as the store gave it, unmasked: a later window is measured
    /// against its medians by the store, which knows the names unmasked.
    unmasked: Mutex<Option<WindowStats>>,
}

impl Redacted {
    pub fn new(inner: Box<dyn TraceSource>, redactor: Redactor, verbose: u8) -> Redacted {
        Redacted {
            inner,
            redactor,
            verbose,
            unmasked: Mutex::new(None),
        }
    }

    fn masked(&self, s: &str) -> String {
        let mut s = s.to_string();
        self.mask_text(&mut s);
        s
    }

    /// Every name in `w` masked.
    fn mask_stats(&self, w: WindowStats) -> WindowStats {
        let m = |s: &String| self.masked(s);
        let m2 = |(a, b): &(String, String)| (m(a), m(b));
        WindowStats {
            traces: w.traces,
            spans: w.spans,
            sampled_from: w.sampled_from,
            own: w.own.iter().map(|(k, v)| (m2(k), *v)).collect(),
            edge: w.edge.iter().map(|(k, v)| (m2(k), *v)).collect(),
            total: w.total.iter().map(|(k, v)| (m(k), *v)).collect(),
            invocations: w
                .invocations
                .iter()
                .map(|((a, b, c), v)| ((m(a), m(b), m(c)), *v))
                .collect(),
            calls: w
                .calls
                .iter()
                .map(|((a, b, c, d), v)| ((m(a), m(b), m(c), m(d)), *v))
                .collect(),
            error_origins: w.error_origins.iter().map(|(k, v)| (m(k), *v)).collect(),
            by_op: w.by_op.iter().map(|(k, v)| (m2(k), *v)).collect(),
            callees_of_op: w
                .callees_of_op
                .iter()
                .map(|(k, v)| (m2(k), v.iter().map(|(c, x)| (m(c), *x)).collect()))
                .collect(),
            failures: w
                .failures
                .iter()
                .map(|(f, n)| {
                    let f = FailureKey {
                        service: m(&f.service),
                        operation: m(&f.operation),
                        called: f.called.iter().map(m).collect(),
                        last_callee: f.last_callee.as_ref().map(m),
                    };
                    (f, *n)
                })
                .collect(),
            services: w.services.iter().map(m).collect(),
            callees: w
                .callees
                .iter()
                .map(|(k, v)| (m(k), v.iter().map(m).collect()))
                .collect(),
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

    fn window_stats(
        &self,
        start_ns: i64,
        end_ns: i64,
        reference: Option<&WindowStats>,
        max_traces: usize,
    ) -> std::result::Result<Result<WindowStats>, String> {
        let mut cache = self
            .unmasked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // The store compares names as it holds them: hand it the unmasked reference.
        let reference = reference.and(cache.as_ref());
        let raw = match self
            .inner
            .window_stats(start_ns, end_ns, reference, max_traces)?
        {
            Ok(w) => w,
            Err(e) => return Ok(Err(e)),
        };
        let out = self.mask_stats(raw.clone());
        *cache = Some(raw);
        Ok(Ok(out))
    }

    fn span_metrics(&self, start_ns: i64, end_ns: i64) -> std::result::Result<SpanMetrics, String> {
        let raw = self.inner.span_metrics(start_ns, end_ns)?;
        let m = |s: &String| self.masked(s);
        Ok(SpanMetrics {
            spans: raw.spans,
            ops: raw
                .ops
                .iter()
                .map(|((a, b), v)| ((m(a), m(b)), *v))
                .collect(),
            error_spans: raw.error_spans.iter().map(|(k, v)| (m(k), *v)).collect(),
        })
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
