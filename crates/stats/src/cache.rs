//! Figures kept between requests, for dashboards. A dashboard asks for the
//! same figures again and again; a national load reads every record of a
//! few years, so it is computed once and reused while nothing changes.
//!
//! Freshness: an entry is reused while the service's write generation is
//! the one it was computed at. After a change, a province's figures (small,
//! quick) are computed again at once; national figures are reused for up to
//! `national_grace` more, so that a stream of edits across the country does
//! not make every dashboard view recompute the nation. Reports never use
//! this cache: they always read the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ngoaivu_core::{Actor, Scope};
use ngoaivu_store::{Service, StoreError};

use crate::{Figures, Request};

type Key = (String, Option<i64>, i32, i32);

struct Entry {
    figures: Arc<Figures>,
    generation: u64,
    at: Instant,
}

pub struct FiguresCache {
    entries: Mutex<HashMap<Key, Entry>>,
    /// One computation at a time per key; others wait for its result.
    flights: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
    national_grace: Duration,
    capacity: usize,
}

impl Default for FiguresCache {
    fn default() -> Self {
        FiguresCache::new(Duration::from_secs(30), 512)
    }
}

impl FiguresCache {
    pub fn new(national_grace: Duration, capacity: usize) -> Self {
        FiguresCache {
            entries: Mutex::default(),
            flights: Mutex::default(),
            national_grace,
            capacity,
        }
    }

    fn fresh(&self, key: &Key, national: bool, generation: u64) -> Option<Arc<Figures>> {
        let entries = self.entries.lock().expect("cache lock");
        let e = entries.get(key)?;
        let ok = e.generation == generation || (national && e.at.elapsed() < self.national_grace);
        ok.then(|| e.figures.clone())
    }

    /// The figures for `req` within `actor`'s reach, from the cache when
    /// still fresh.
    pub async fn get(
        &self,
        svc: &Service,
        actor: &Actor,
        req: &Request,
    ) -> Result<Arc<Figures>, StoreError> {
        let scope = actor.read_scope();
        let national = scope == Scope::All && req.org_id.is_none();
        let key: Key = (format!("{scope:?}"), req.org_id, req.from, req.to);
        if let Some(f) = self.fresh(&key, national, svc.generation()) {
            return Ok(f);
        }
        let flight = self
            .flights
            .lock()
            .expect("cache lock")
            .entry(key.clone())
            .or_default()
            .clone();
        let _turn = flight.lock().await;
        // Someone else may have computed it while we waited.
        let generation = svc.generation();
        if let Some(f) = self.fresh(&key, national, generation) {
            return Ok(f);
        }
        let figures = Arc::new(crate::load(svc, actor, req).await?);
        let mut entries = self.entries.lock().expect("cache lock");
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                figures: figures.clone(),
                generation,
                at: Instant::now(),
            },
        );
        Ok(figures)
    }
}
