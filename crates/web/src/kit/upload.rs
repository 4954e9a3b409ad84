//! A file uploaded in a `multipart/form-data` form (field `file`), read
//! with a limit: a record's attachments and the channel's files.

use axum::extract::multipart::{Multipart, MultipartRejection};

/// What came in the upload form.
pub(crate) enum Upload {
    /// The file's name and bytes: at most one byte more than the limit, so
    /// that the service's check reports a file too large.
    File(String, Vec<u8>),
    NoFile,
    /// The request is not a form the page sent, or broke off.
    Unreadable,
    /// Far beyond the limit: reading stopped.
    TooLarge,
}

pub(crate) async fn read_upload(mp: Result<Multipart, MultipartRejection>, max: usize) -> Upload {
    let Ok(mut mp) = mp else {
        return Upload::Unreadable;
    };
    // Past the limit the rest is read and dropped (so that the browser gets
    // the page, not a broken connection), up to this much.
    let give_up = max.saturating_mul(2).saturating_add(1024 * 1024);
    let mut found: Option<(String, Vec<u8>)> = None;
    let mut total = 0usize;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Upload::Unreadable,
        };
        let is_file = field.name() == Some("file") && found.is_none();
        let name = field.file_name().unwrap_or("").to_owned();
        let mut bytes = vec![];
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    total += c.len();
                    if total > give_up {
                        return Upload::TooLarge;
                    }
                    if is_file && bytes.len() <= max {
                        let room = max + 1 - bytes.len();
                        bytes.extend_from_slice(&c[..c.len().min(room)]);
                    }
                }
                Ok(None) => break,
                Err(_) => return Upload::Unreadable,
            }
        }
        if is_file && !(name.is_empty() && bytes.is_empty()) {
            found = Some((name, bytes));
        }
    }
    match found {
        Some((name, bytes)) => Upload::File(name, bytes),
        None => Upload::NoFile,
    }
}
