//! Pagination: [`Pages`], the items of a paginated operation as one stream, fetched a page
//! at a time by offset ([`offset_pages`]) or by cursor ([`cursor_pages`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;

use super::error::Error;

/// The items of a paginated operation, fetched a page at a time as the stream is polled;
/// it ends after the last page. An error is the last item.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>,
}

impl<T, E> fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T, E> Stream for Pages<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Pages by offset: `fetch(offset)` gives a page of items; the next offset is past them.
/// An empty page, or one shorter than `limit`, is the last.
pub fn offset_pages<'a, T, E, F, Fut>(start: i64, limit: Option<i64>, fetch: F) -> Pages<'a, T, E>
where
    F: FnMut(i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Vec<T>, Error<E>>> + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    let state = (fetch, Some(start), std::collections::VecDeque::new());
    let stream =
        futures_util::stream::unfold(state, move |(mut fetch, mut next, mut buffer)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (fetch, next, buffer)));
                }
                let offset = next?;
                match fetch(offset).await {
                    Ok(items) => {
                        let count = items.len() as i64;
                        let last = count == 0 || limit.is_some_and(|limit| count < limit);
                        next = (!last).then_some(offset + count);
                        buffer.extend(items);
                    }
                    Err(e) => return Some((Err(e), (fetch, None, buffer))),
                }
            }
        });
    Pages {
        inner: Box::pin(stream),
    }
}

/// Pages by cursor: `fetch(cursor)` gives a page of items and the next page's cursor; no
/// cursor (or an empty or repeated one) means the page was the last.
pub fn cursor_pages<'a, T, E, F, Fut>(start: Option<String>, fetch: F) -> Pages<'a, T, E>
where
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error<E>>> + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    let state = (fetch, Some(start), std::collections::VecDeque::new());
    let stream =
        futures_util::stream::unfold(state, move |(mut fetch, mut next, mut buffer)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (fetch, next, buffer)));
                }
                let cursor = next?;
                match fetch(cursor.clone()).await {
                    Ok((items, following)) => {
                        let following =
                            following.filter(|c| !c.is_empty() && Some(c) != cursor.as_ref());
                        next = following.map(Some);
                        buffer.extend(items);
                    }
                    Err(e) => return Some((Err(e), (fetch, None, buffer))),
                }
            }
        });
    Pages {
        inner: Box::pin(stream),
    }
}
