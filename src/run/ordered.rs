//! Independent jobs processed by a few worker threads and handed back in input order,
//! whatever order they finish in (no async runtime: plain `std` threads and channels).
//! A stream's documents and a list's items go through it once the input proves long.

use std::collections::BTreeMap;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, mpsc};
use std::thread;

/// The environment variable that sets the number of threads (1: no worker is started).
pub const THREADS_ENV: &str = "PINPOINT_INJECT_THREADS";

/// The most threads `PINPOINT_INJECT_THREADS` may ask for.
pub const MAX_THREADS: usize = 64;

/// How a run (a stream's documents, a list's items) is spread over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threads {
    /// Worker threads; 1 processes every job on the calling thread.
    pub workers: usize,
    /// Bytes of input taken on the calling thread before the workers start.
    pub after: usize,
}

impl Threads {
    /// No threads: every job on the calling thread.
    pub const ONE: Threads = Threads {
        workers: 1,
        after: 0,
    };

    /// One worker per core (at most 4), after the first 128 KiB; `PINPOINT_INJECT_THREADS`
    /// sets the number. `Err` names a value that is not a number from 1 to [`MAX_THREADS`].
    pub fn from_env() -> Result<Threads, String> {
        let workers = match std::env::var(THREADS_ENV) {
            Ok(value) => match value.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_THREADS).contains(&n) => n,
                _ => {
                    return Err(format!(
                        "{THREADS_ENV}={value:?} is not a number from 1 to {MAX_THREADS}"
                    ));
                }
            },
            Err(_) => thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        };
        Ok(Threads {
            workers,
            after: 128 << 10,
        })
    }
}

/// A worker thread's stack: as large as the main thread's. The full parser recurses once
/// per nesting level, up to its 255, and a document that deep must be refused the same on
/// a worker as on the main thread (only the pages used are committed).
const WORKER_STACK: usize = 8 << 20;

/// Jobs go to the workers in batches of this many jobs or bytes (one handover per job
/// would cost more in wake-ups than it gains). At most this many batches per worker, and
/// this many bytes (or one batch, however large), are handed out and not yet taken back:
/// the memory the reordering takes stays bounded.
const BATCH_JOBS: usize = 64;
const BATCH_BYTES: usize = 256 << 10;
const BATCHES_PER_WORKER: usize = 4;
const IN_FLIGHT_BYTES: usize = 4 << 20;

/// How jobs are spread over workers.
pub struct Pool<'p, J, R> {
    pub workers: usize,
    /// The bytes a job stands for (what bounds the jobs in flight).
    pub weight: &'p (dyn Fn(&J) -> usize + Sync),
    /// What a worker does with a job.
    pub process: &'p (dyn Fn(&J) -> R + Sync),
}

/// A batch processed by a worker (or the panic it raised, to raise again here).
type Done<J, R> = (usize, Vec<J>, thread::Result<Vec<R>>);

impl<J: Send, R: Send> Pool<'_, J, R> {
    /// Process every job of `jobs` on the workers while this thread reads them and gives
    /// each, with what was made of it, to `take`, in input order. A read error ends the
    /// input; it is returned once every job read before it is taken, as on one thread. A
    /// worker's panic is raised again here.
    pub fn run<I>(&self, jobs: I, take: &mut dyn FnMut(J, R) -> io::Result<()>) -> io::Result<()>
    where
        I: Iterator<Item = io::Result<J>>,
    {
        let mut jobs = jobs.peekable();
        if jobs.peek().is_none() {
            return Ok(()); // nothing to do: no thread started
        }
        let (work, queue) = mpsc::channel::<(usize, Vec<J>)>();
        let queue = Mutex::new(queue);
        let (done_tx, done) = mpsc::channel::<Done<J, R>>();
        let process = self.process;
        thread::scope(|scope| {
            // Dropped when this closure returns, however it returns: the workers then stop.
            let work = work;
            let mut workers = 0;
            for _ in 0..self.workers {
                let (queue, done_tx) = (&queue, done_tx.clone());
                let worker = thread::Builder::new().stack_size(WORKER_STACK);
                let spawned = worker.spawn_scoped(scope, move || {
                    loop {
                        let job = queue
                            .lock()
                            .map_err(drop)
                            .and_then(|q| q.recv().map_err(drop));
                        let Ok((seq, batch)) = job else { break };
                        let made = panic::catch_unwind(AssertUnwindSafe(|| {
                            batch.iter().map(process).collect::<Vec<_>>()
                        }));
                        if done_tx.send((seq, batch, made)).is_err() {
                            break;
                        }
                    }
                });
                // A thread the system cannot start (a low `ulimit -v`, a thread limit):
                // the run goes on with the workers it has, or on this thread alone.
                match spawned {
                    Ok(_) => workers += 1,
                    Err(_) => break,
                }
            }
            drop(done_tx);
            if workers == 0 {
                return jobs.try_for_each(|job| {
                    let job = job?;
                    let made = process(&job);
                    take(job, made)
                });
            }

            // Hand out batches while few are in flight; take each back as soon as all
            // before it are taken.
            let (mut sent, mut taken, mut in_flight) = (0usize, 0usize, 0usize);
            let mut finished: BTreeMap<usize, (Vec<J>, Vec<R>)> = BTreeMap::new();
            let mut read_error = None;
            let mut input_done = false;
            loop {
                let room = sent - taken < workers * BATCHES_PER_WORKER
                    && (in_flight < IN_FLIGHT_BYTES || sent == taken);
                if !input_done && room {
                    let (batch, error) = self.next_batch(&mut jobs);
                    input_done =
                        error.is_some() || (batch.len() < BATCH_JOBS && jobs.peek().is_none());
                    read_error = error;
                    if !batch.is_empty() {
                        in_flight += self.weight_of(&batch);
                        work.send((sent, batch))
                            .expect("the workers outlive the input");
                        sent += 1;
                    }
                    continue;
                }
                if taken == sent {
                    break;
                }
                let (seq, batch, made) = done.recv().expect("a worker holds every batch sent");
                let made = made.unwrap_or_else(|payload| panic::resume_unwind(payload));
                finished.insert(seq, (batch, made));
                while let Some((batch, made)) = finished.remove(&taken) {
                    in_flight -= self.weight_of(&batch);
                    for (job, made) in batch.into_iter().zip(made) {
                        take(job, made)?;
                    }
                    taken += 1;
                }
            }
            read_error.map_or(Ok(()), Err)
        })
    }

    fn weight_of(&self, batch: &[J]) -> usize {
        batch.iter().map(|j| (self.weight)(j)).sum()
    }

    /// The next jobs, up to [`BATCH_JOBS`] of them or [`BATCH_BYTES`], and the read error
    /// that ended them early, if one did.
    fn next_batch<I>(&self, jobs: &mut std::iter::Peekable<I>) -> (Vec<J>, Option<io::Error>)
    where
        I: Iterator<Item = io::Result<J>>,
    {
        let (mut batch, mut bytes) = (Vec::new(), 0);
        while batch.len() < BATCH_JOBS && bytes < BATCH_BYTES {
            match jobs.next() {
                None => break,
                Some(Err(e)) => return (batch, Some(e)),
                Some(Ok(job)) => {
                    bytes += (self.weight)(&job);
                    batch.push(job);
                }
            }
        }
        (batch, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_run(
        n: usize,
        workers: usize,
        process: &(dyn Fn(&usize) -> usize + Sync),
    ) -> io::Result<Vec<(usize, usize)>> {
        let pool = Pool {
            workers,
            weight: &|_: &usize| 10 << 10,
            process,
        };
        let mut taken = Vec::new();
        pool.run((0..n).map(Ok), &mut |job, made| {
            taken.push((job, made));
            Ok(())
        })?;
        Ok(taken)
    }

    #[test]
    fn jobs_come_back_in_input_order_whatever_order_they_finish_in() {
        // Early jobs take longest, so later batches finish first.
        let slow_first = |j: &usize| {
            if *j < 64 {
                thread::sleep(std::time::Duration::from_millis(2));
            }
            j * 3
        };
        for workers in [2, 3, 4] {
            let taken = pool_run(1_000, workers, &slow_first).unwrap();
            let expected: Vec<_> = (0..1_000).map(|j| (j, j * 3)).collect();
            assert_eq!(taken, expected, "{workers} workers");
        }
    }

    #[test]
    fn a_read_error_comes_back_after_every_job_before_it() {
        let pool = Pool {
            workers: 2,
            weight: &|_: &usize| 1,
            process: &|j: &usize| *j,
        };
        let jobs = (0..300).map(|j| match j {
            200 => Err(io::Error::other("read failed")),
            j => Ok(j),
        });
        let mut taken = Vec::new();
        let got = pool.run(jobs, &mut |job, _| {
            taken.push(job);
            Ok(())
        });
        assert_eq!(got.unwrap_err().to_string(), "read failed");
        assert_eq!(taken, (0..200).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_in_a_worker_is_raised_on_the_calling_thread() {
        let process = |j: &usize| {
            assert!(*j != 7, "job 7 panics");
            *j
        };
        let got = panic::catch_unwind(AssertUnwindSafe(|| pool_run(50, 3, &process)));
        let payload = got.expect_err("the panic is raised again");
        let message = payload
            .downcast_ref::<&str>()
            .map(|m| m.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(message.contains("job 7 panics"), "{message}");
    }
}
