//! Creates written together (group commit), for both backends.
//!
//! Under many concurrent creators, a transaction each means a commit each:
//! its round trips, its WAL write and (on PostgreSQL) its wait for the disk.
//! Creates go instead to a task of their own, which takes every create
//! waiting when it is free and hands them to the backend to write in one
//! transaction (`write_group`, over the backend's `CreateTx`). Each create
//! is still written whole with its audit row; when any of a group is
//! refused, each is written in a transaction of its own, so one bad create
//! never takes the others with it. A create
//! that has reached the queue is written even if its caller goes away.

use std::future::Future;
use std::sync::Arc;

use ngoaivu_core::records::Index;
use ngoaivu_core::{Actor, RecordType};
use serde_json::Value;
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::{Org, Record, Result, StoreError};

/// A create waiting to be written, and where its answer goes.
pub struct PendingCreate {
    pub actor: Actor,
    pub rt: RecordType,
    pub org: Org,
    pub data: Value,
    pub idx: Index,
    pub done: oneshot::Sender<Result<Record>>,
}

/// Where creates are sent to be written.
pub type CreateQueue = mpsc::UnboundedSender<PendingCreate>;

/// Start `writers` tasks that write creates with `write`, which writes a
/// group and answers each of its creates. A task takes the creates waiting
/// when it is free, up to `max_group`; with more than one, groups are written side by side (a
/// server such as PostgreSQL works on several transactions at once, and a
/// single writer left its CPU idle between round trips). Needs a Tokio
/// runtime.
pub fn spawn_create_writer<W, F>(writers: usize, max_group: usize, write: W) -> CreateQueue
where
    W: Fn(Vec<PendingCreate>) -> F + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let (queue, waiting) = mpsc::unbounded_channel::<PendingCreate>();
    let waiting = Arc::new(Mutex::new(waiting));
    let write = Arc::new(write);
    for _ in 0..writers.max(1) {
        let (waiting, write) = (waiting.clone(), write.clone());
        tokio::spawn(async move {
            loop {
                let group = {
                    let mut waiting = waiting.lock().await;
                    let Some(first) = waiting.recv().await else {
                        break;
                    };
                    let mut group = vec![first];
                    while group.len() < max_group {
                        match waiting.try_recv() {
                            Ok(next) => group.push(next),
                            Err(_) => break,
                        }
                    }
                    group
                };
                write(group).await;
            }
        });
    }
    queue
}

/// Queue a create and wait for its answer. When the task is gone (the
/// runtime that started it has ended: a backend opened under one runtime
/// and used under another), `write_here` writes it in the caller instead.
pub async fn create<H, F>(
    queue: &CreateQueue,
    actor: &Actor,
    rt: RecordType,
    org: &Org,
    data: Value,
    idx: Index,
    write_here: H,
) -> Result<Record>
where
    H: FnOnce(Vec<PendingCreate>) -> F,
    F: Future<Output = ()>,
{
    let (done, answer) = oneshot::channel();
    let pending = PendingCreate {
        actor: actor.clone(),
        rt,
        org: org.clone(),
        data,
        idx,
        done,
    };
    if let Err(unsent) = queue.send(pending) {
        write_here(vec![unsent.0]).await;
    }
    answer
        .await
        .unwrap_or_else(|_| Err(StoreError::Other("the create was not written".into())))
}

/// A transaction that creates are written in: each backend's own.
pub trait CreateTx: Sized + Send {
    /// Write one create (its row, tags, links and audit row).
    fn insert(&mut self, create: &PendingCreate) -> impl Future<Output = Result<Record>> + Send;
    fn commit(self) -> impl Future<Output = Result<()>> + Send;
}

/// Write `group` in one transaction from `begin` and answer each create.
/// If any of them fails, that transaction is rolled back (dropped
/// uncommitted) and each is written alone, so one bad create never takes
/// the others with it.
pub async fn write_group<T, B, F>(begin: B, group: Vec<PendingCreate>)
where
    T: CreateTx,
    B: Fn() -> F,
    F: Future<Output = Result<T>>,
{
    if group.len() > 1
        && let Ok(mut tx) = begin().await
    {
        let mut written = Vec::with_capacity(group.len());
        for p in &group {
            match tx.insert(p).await {
                Ok(r) => written.push(r),
                Err(_) => break,
            }
        }
        if written.len() == group.len() && tx.commit().await.is_ok() {
            for (p, r) in group.into_iter().zip(written) {
                let _ = p.done.send(Ok(r));
            }
            return;
        }
        tracing::debug!(
            creates = group.len(),
            "a create of a group was refused; writing each alone"
        );
    }
    for p in group {
        let result = async {
            let mut tx = begin().await?;
            let rec = tx.insert(&p).await?;
            tx.commit().await?;
            Ok(rec)
        }
        .await;
        let _ = p.done.send(result);
    }
}
