//! A tokio runtime on a thread of its own, for the reference adapter's calls and timers.

use std::future::Future;

use tokio::runtime::{Builder, Handle};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A current-thread runtime driven by its own OS thread until this is dropped; then the tasks
/// still on it are dropped too.
pub(super) struct OwnRuntime {
    handle: Handle,
    // Dropped with this: the thread's `block_on` returns and the runtime ends.
    _stop: oneshot::Sender<()>,
}

impl OwnRuntime {
    /// Starts the thread, named `name`.
    pub(super) fn start(name: &str) -> Self {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime starts");
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _ = runtime.block_on(stopped);
            })
            .expect("a thread starts");
        OwnRuntime {
            handle,
            _stop: stop,
        }
    }

    /// Runs `work` on this runtime; `None` if the runtime stopped first. Dropping the returned
    /// future cancels the work.
    pub(super) fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> impl Future<Output = Option<T>> + Send + 'static {
        // Spawned now, so the work starts before the returned future is first polled.
        let mut task = CancelOnDrop(self.handle.spawn(work));
        async move { (&mut task.0).await.ok() }
    }
}

/// A task that is cancelled when whoever awaits it goes away (a case past its deadline).
struct CancelOnDrop<T>(JoinHandle<T>);

impl<T> Drop for CancelOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn work_runs_on_its_own_thread_and_is_cancelled_when_dropped() {
        let runtime = OwnRuntime::start("test runtime");
        let name = runtime
            .run(async { std::thread::current().name().map(String::from) })
            .await;
        assert_eq!(name, Some(Some("test runtime".to_string())));

        let (tx, rx) = oneshot::channel::<()>();
        let pending = runtime.run(async move {
            let _tx = tx; // dropped when the task is
            std::future::pending::<()>().await
        });
        drop(pending);
        // The sender is dropped with the cancelled task, so the receiver sees it close.
        let closed = tokio::time::timeout(Duration::from_secs(5), rx).await;
        assert!(
            matches!(closed, Ok(Err(_))),
            "the dropped task was not cancelled"
        );
    }

    #[tokio::test]
    async fn work_ends_as_none_when_the_runtime_is_dropped() {
        let runtime = OwnRuntime::start("test runtime");
        let pending = runtime.run(std::future::pending::<()>());
        drop(runtime);
        let outcome = tokio::time::timeout(Duration::from_secs(5), pending).await;
        assert_eq!(outcome, Ok(None));
    }
}
