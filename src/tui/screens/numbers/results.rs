//! The search bookkeeping of the numbers screen: which results are shown, for what question, and
//! the results of earlier questions.

use std::collections::HashMap;
use std::sync::Arc;

use crate::numbers::filters::Filters;
use crate::numbers::matcher::{Matcher, Query};

pub struct Results {
    /// The shown results, best first: record indices into the catalog.
    pub hits: Arc<Vec<u32>>,
    /// The query and filters they answer, over the first `covered` records.
    pub query: String,
    pub filters: Filters,
    pub covered: usize,
    /// The prepared matcher of `query`, for highlighting.
    pub matcher: Matcher,
    /// The newest search asked for; older results are dropped.
    pub generation: u64,
    /// Which list the results index: it changes when a refreshed list replaces the shown one.
    pub epoch: u64,
    /// Results by query text and filters, for the current catalog size.
    pub cache: HashMap<(String, Filters), Arc<Vec<u32>>>,
}

impl Results {
    /// Nothing found yet, for this question.
    pub fn new(query: &str, filters: Filters) -> Self {
        Results {
            hits: Arc::new(Vec::new()),
            query: query.to_string(),
            filters,
            covered: 0,
            matcher: Matcher::new(Query::parse(query)),
            generation: 0,
            epoch: 0,
            cache: HashMap::new(),
        }
    }
}
