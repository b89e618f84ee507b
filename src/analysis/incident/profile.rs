//! What the comparison needs from one set of traces, collected in one pass per trace: self
//! times, call-edge delays, server-span latencies, call counts per invocation, error origins
//! and failed invocations.

use std::collections::{BTreeMap, HashMap};

use crate::analysis::self_time::self_times;
use crate::model::window_stats::{Dist, FailureKey, WindowStats, ERROR_HANDLER_SUFFIX};
use crate::model::{CompactString, IndexedTrace};

/// Everything the comparison needs from one set of traces: the latency samples (ms), and
/// the counts, already in the aggregate form.
#[derive(Debug, Default)]
pub struct Profile {
    /// (service, operation) → self times of spans that call no other service. Keys as the
    /// spans hold them (copied without allocating, span after span), made `String`s once in
    /// [`Profile::stats`].
    own: HashMap<(CompactString, CompactString), Vec<f64>>,
    /// (caller, callee) → caller-side time of each call.
    edge: HashMap<(CompactString, CompactString), Vec<f64>>,
    /// service → durations of its server spans (entered from another service or the root).
    total: HashMap<String, Vec<f64>>,
    /// Everything else (and, after [`Profile::stats`], the latency summaries).
    agg: WindowStats,
}

/// Spring's error endpoint: the only trace of a failed request when the instrumentation
/// records no status.
fn is_error_handler(operation: &str) -> bool {
    operation.ends_with(ERROR_HANDLER_SUFFIX)
}

fn ms(ns: i64) -> f64 {
    ns as f64 / 1e6
}

impl Profile {
    pub(super) fn of(traces: &[IndexedTrace]) -> Profile {
        let mut p = Profile::default();
        for t in traces {
            p.add(t);
        }
        p
    }

    /// The aggregate; latency excess is measured against `reference`'s medians (the
    /// baseline's, when this is the window).
    pub(super) fn stats(self, reference: Option<&WindowStats>) -> WindowStats {
        fn summarise<K: Ord + Clone + std::hash::Hash>(
            samples: HashMap<K, Vec<f64>>,
            reference: Option<&BTreeMap<K, Dist>>,
        ) -> BTreeMap<K, Dist> {
            samples
                .into_iter()
                .map(|(k, v)| {
                    let r = reference.and_then(|r| r.get(&k)).map(|d| d.median);
                    let d = Dist::of(&v, r);
                    (k, d)
                })
                .collect()
        }
        fn owned(
            samples: HashMap<(CompactString, CompactString), Vec<f64>>,
        ) -> HashMap<(String, String), Vec<f64>> {
            samples
                .into_iter()
                .map(|((a, b), v)| ((a.into_string(), b.into_string()), v))
                .collect()
        }
        let mut agg = self.agg;
        agg.own = summarise(owned(self.own), reference.map(|r| &r.own));
        agg.edge = summarise(owned(self.edge), reference.map(|r| &r.edge));
        agg.total = summarise(self.total, reference.map(|r| &r.total));
        agg
    }

    /// Gather what `t` shows: a trace at a time, so that a caller need not hold every
    /// trace's index at once.
    pub fn add(&mut self, t: &IndexedTrace) {
        let spans = &t.trace.spans;
        if spans.is_empty() {
            return;
        }
        self.agg.traces += 1;
        self.agg.spans += spans.len() as u64;
        let st = self_times(t);
        let entry = entry_endpoint(t);
        let parent_of = |i: usize| t.tree.parent.get(i).copied().flatten();
        // The invocation each span belongs to: the nearest ancestor-or-self entered from
        // another service. Pre-order visits parents first, so one pass fills it.
        let mut invocation: Vec<usize> = (0..spans.len()).collect();
        for &i in &t.tree.preorder {
            if let Some(p) = parent_of(i) {
                if spans[p].service == spans[i].service {
                    invocation[i] = invocation[p];
                }
            }
        }
        for &i in &t.tree.preorder {
            let s = &spans[i];
            // Looked up before a key is made: the same few names, span after span.
            if !self.agg.services.contains(s.service.as_str()) {
                self.agg.services.insert(s.service.to_string());
            }
            let kids = t.tree.children.get(i).unwrap_or(&[]);
            let callee = kids
                .iter()
                .map(|&c| &spans[c])
                .find(|c| c.service != s.service);
            let own = st.get(i).copied().unwrap_or(0);
            match callee {
                Some(c) => {
                    self.edge
                        .entry((s.service.clone(), c.service.clone()))
                        .or_default()
                        .push(ms(own));
                    match self.agg.callees.get_mut(s.service.as_str()) {
                        Some(callees) if callees.contains(c.service.as_str()) => {}
                        Some(callees) => {
                            callees.insert(c.service.to_string());
                        }
                        None => {
                            self.agg.callees.insert(
                                s.service.to_string(),
                                [c.service.to_string()].into_iter().collect(),
                            );
                        }
                    }
                }
                None => self
                    .own
                    .entry((s.service.clone(), s.operation.clone()))
                    .or_default()
                    .push(ms(own)),
            }
            if s.is_error() && !kids.iter().any(|&c| spans[c].is_error()) {
                *self
                    .agg
                    .error_origins
                    .entry(s.service.to_string())
                    .or_default() += 1;
            }
            let entered = parent_of(i).is_none_or(|p| spans[p].service != s.service);
            if entered {
                let took = ms(s.duration_ns.max(0));
                match self.total.get_mut(s.service.as_str()) {
                    Some(samples) => samples.push(took),
                    None => {
                        self.total.insert(s.service.to_string(), vec![took]);
                    }
                }
                *self
                    .agg
                    .invocations
                    .entry((
                        entry.clone(),
                        s.service.to_string(),
                        s.operation.to_string(),
                    ))
                    .or_default() += 1;
                if let Some(p) = parent_of(i) {
                    let inv = &spans[invocation[p]];
                    *self
                        .agg
                        .calls
                        .entry((
                            entry.clone(),
                            inv.service.to_string(),
                            inv.operation.to_string(),
                            s.label(),
                        ))
                        .or_default() += 1;
                }
            }
        }
        self.add_invocations(t, &invocation);
    }

    /// Per invocation: did it fail, whom did it call and when. `invocation[i]` is the
    /// entered span that span `i` belongs to.
    fn add_invocations(&mut self, t: &IndexedTrace, invocation: &[usize]) {
        let spans = &t.trace.spans;
        // invocation root → (failure surfaced at, calls out: (callee, start, end)).
        let mut failed_at: HashMap<usize, i64> = HashMap::new();
        let mut calls: HashMap<usize, Vec<(usize, i64, i64)>> = HashMap::new();
        for &i in &t.tree.preorder {
            let s = &spans[i];
            let inv = invocation[i];
            if s.is_error() || is_error_handler(&s.operation) {
                let at = if is_error_handler(&s.operation) {
                    s.start_ns
                } else {
                    s.start_ns.saturating_add(s.duration_ns.max(0))
                };
                let e = failed_at.entry(inv).or_insert(at);
                *e = (*e).min(at);
            }
            if inv == i {
                if let Some(p) = t.tree.parent.get(i).copied().flatten() {
                    let end = s.start_ns.saturating_add(s.duration_ns.max(0));
                    calls
                        .entry(invocation[p])
                        .or_default()
                        .push((i, s.start_ns, end));
                }
            }
        }
        for &r in &t.tree.preorder {
            if invocation[r] != r {
                continue;
            }
            let root = &spans[r];
            let key = (root.service.to_string(), root.operation.to_string());
            let count = self.agg.by_op.entry(key.clone()).or_default();
            count.invocations += 1;
            let out = calls.get(&r).map(Vec::as_slice).unwrap_or(&[]);
            match failed_at.get(&r) {
                None => {
                    // Per callee, the earliest call: "is it called, and when first".
                    let mut first: BTreeMap<&str, i64> = BTreeMap::new();
                    for &(c, start, _) in out {
                        let e = first.entry(spans[c].service.as_str()).or_insert(start);
                        *e = (*e).min(start);
                    }
                    let expected = self.agg.callees_of_op.entry(key).or_default();
                    for (callee, start) in first {
                        let e = expected.entry(callee.to_string()).or_default();
                        e.0 += 1;
                        e.1 += ms(start.saturating_sub(root.start_ns));
                    }
                }
                Some(&at) => {
                    count.failed += 1;
                    let last_callee = out
                        .iter()
                        .filter(|&&(_, _, end)| end <= at)
                        .max_by(|a, b| {
                            a.2.cmp(&b.2)
                                .then_with(|| spans[a.0].service.cmp(&spans[b.0].service))
                        })
                        .map(|&(c, _, _)| spans[c].service.to_string());
                    let key = FailureKey {
                        service: root.service.to_string(),
                        operation: root.operation.to_string(),
                        called: out
                            .iter()
                            .map(|&(c, _, _)| spans[c].service.to_string())
                            .collect(),
                        last_callee,
                    };
                    *self.agg.failures.entry(key).or_default() += 1;
                }
            }
        }
    }
}

/// The endpoint a trace entered through: the first span of another service under the root's
/// service (the service behind a gateway), else the root itself.
pub fn entry_endpoint(t: &IndexedTrace) -> String {
    let spans = &t.trace.spans;
    let Some(root) = t.tree.main_root(&t.trace).and_then(|r| spans.get(r)) else {
        return String::new();
    };
    let hop = t
        .tree
        .preorder
        .iter()
        .filter_map(|&i| {
            let p = t.tree.parent.get(i).copied().flatten()?;
            let (s, ps) = (spans.get(i)?, spans.get(p)?);
            (ps.service == root.service && s.service != root.service).then_some(s)
        })
        .min_by_key(|s| s.start_ns);
    hop.unwrap_or(root).label()
}
