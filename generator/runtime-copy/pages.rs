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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn offset_pages_stop_after_a_short_page() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let seen = asked.clone();
        let pages = offset_pages::<_, (), _, _>(10, Some(2), move |offset| {
            seen.lock().unwrap().push(offset);
            let items: Vec<i64> = (offset..(offset + 2).min(15)).collect();
            async move { Ok(items) }
        });
        let items: Vec<i64> = pages.map(Result::unwrap).collect().await;
        assert_eq!(items, [10, 11, 12, 13, 14]);
        assert_eq!(*asked.lock().unwrap(), [10, 12, 14]);
    }

    #[tokio::test]
    async fn offset_pages_without_a_limit_stop_at_an_empty_page() {
        let pages = offset_pages::<_, (), _, _>(0, None, |offset| async move {
            Ok(if offset < 6 {
                vec![offset; 3]
            } else {
                Vec::new()
            })
        });
        let items: Vec<i64> = pages.map(Result::unwrap).collect().await;
        assert_eq!(items, [0, 0, 0, 3, 3, 3]);
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let pages = offset_pages::<i64, &str, _, _>(0, None, |offset| async move {
            match offset {
                0 => Ok(vec![1, 2]),
                _ => Err(Error::Api(Box::new(super::super::error::ApiError {
                    status: reqwest::StatusCode::BAD_GATEWAY,
                    headers: Default::default(),
                    body: "down",
                    attempts: 1,
                }))),
            }
        });
        let items: Vec<_> = pages.collect().await;
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].as_ref().ok(), Some(&2));
        assert_eq!(
            items[2].as_ref().err().and_then(Error::api_body),
            Some(&"down")
        );
    }

    #[tokio::test]
    async fn cursor_pages_follow_the_cursor_until_none_empty_or_repeated() {
        let follow = |last: Option<&'static str>| {
            move |cursor: Option<String>| async move {
                let next = match cursor.as_deref() {
                    None => Some("b".to_owned()),
                    Some("b") => Some("c".to_owned()),
                    Some(_) => last.map(str::to_owned),
                };
                Ok::<_, Error<()>>((vec![cursor.unwrap_or_default()], next))
            }
        };
        for last in [None, Some(""), Some("c")] {
            let items: Vec<String> = cursor_pages(None, follow(last))
                .map(Result::unwrap)
                .collect()
                .await;
            assert_eq!(items, ["", "b", "c"], "last cursor {last:?}");
        }
        let items: Vec<String> = cursor_pages(Some("b".into()), follow(None))
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(items, ["b", "c"]);
    }
}
