//! Reminders: each active user's inbox (`Service::inbox`, with the user as
//! the actor, so each is told only what the store lets them see), listed by
//! `ngoaivu remind --dry-run`, e-mailed by `ngoaivu remind` and by the daily
//! digest inside `serve` — only when an SMTP server is configured
//! (`NGOAIVU_SMTP_URL`; none by default) and only to users with an address
//! (`ngoaivu user set-email`).

use std::sync::Arc;

use anyhow::{Context, bail};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use ngoaivu_core::values::{format_date_vi, parse_date};
use ngoaivu_core::{Actor, Lang};
use ngoaivu_store::inbox::{Item, Reason};
use ngoaivu_store::{Backend, Service};
use time::Date;

use crate::config::FileConfig;

/// Where and as whom reminders are sent.
#[derive(Debug, Clone)]
pub(crate) struct Smtp {
    /// `smtps://user:pass@host` (TLS), `smtp://host:25?tls=required`
    /// (STARTTLS) or `smtp://host:port` (none, for a local relay).
    pub url: String,
    pub from: String,
}

/// The SMTP settings, if a server is configured (environment, then file).
pub(crate) fn smtp(file: &FileConfig) -> Option<Smtp> {
    let url = std::env::var("NGOAIVU_SMTP_URL")
        .ok()
        .or_else(|| crate::config::secret_file("NGOAIVU_SMTP_URL"))
        .or_else(|| file.smtp_url.clone())
        .filter(|u| !u.trim().is_empty())?;
    let from = std::env::var("NGOAIVU_SMTP_FROM")
        .ok()
        .or_else(|| file.smtp_from.clone())
        .unwrap_or_else(|| "ngoaivu <ngoaivu@localhost>".into());
    Some(Smtp { url, from })
}

/// One user's reminder.
pub(crate) struct Reminder {
    pub user_id: i64,
    pub username: String,
    pub org: String,
    pub role: &'static str,
    pub items: Vec<Item>,
}

/// The reminders of every active user with something due on `today`.
pub(crate) async fn collect(
    service: &Service,
    backend: &Arc<dyn Backend>,
    today: Date,
) -> anyhow::Result<Vec<Reminder>> {
    let e = |e: ngoaivu_store::StoreError| anyhow::anyhow!("{e}");
    let mut out = Vec::new();
    for u in backend.list_users(None).await.map_err(e)? {
        if u.disabled {
            continue;
        }
        let Some(org) = backend.org_by_id(u.org_id).await.map_err(e)? else {
            continue;
        };
        let actor = Actor {
            user_id: u.id,
            username: u.username.clone(),
            org_id: org.id,
            org_slug: org.slug.clone(),
            org_kind: org.kind,
            role: u.role,
            consular: false,
        };
        let items = service.tasks(&actor, today).await.map_err(e)?;
        if !items.is_empty() {
            out.push(Reminder {
                user_id: u.id,
                username: u.username,
                org: org.slug,
                role: u.role.as_str(),
                items,
            });
        }
    }
    Ok(out)
}

fn line(i: &Item) -> String {
    format!(
        "[{}] {} #{}: {} — {}{}",
        i.reason.label(Lang::Vi),
        i.rt.label(Lang::Vi),
        i.id,
        i.title,
        ngoaivu_web::text::value_label(&i.status, Lang::Vi),
        i.date
            .as_deref()
            .and_then(parse_date)
            .map(|d| format!(" · {}", format_date_vi(d)))
            .unwrap_or_default()
    )
}

/// The subject and plain-text body of a user's digest.
pub(crate) fn digest(r: &Reminder, today: Date) -> (String, String) {
    let overdue = r
        .items
        .iter()
        .filter(|i| matches!(i.reason, Reason::ReportOverdue | Reason::AnswerOverdue))
        .count();
    let mut subject = format!(
        "[ngoaivu] {} việc cần xử lý ngày {}",
        r.items.len(),
        format_date_vi(today)
    );
    if overdue > 0 {
        subject.push_str(&format!(" ({overdue} quá hạn)"));
    }
    let mut body = format!(
        "Kính gửi {},\n\nCác việc cần xử lý ngày {} (hạn tính theo ngày làm việc):\n\n",
        r.username,
        format_date_vi(today)
    );
    for i in &r.items {
        body.push_str("- ");
        body.push_str(&line(i));
        body.push('\n');
    }
    body.push_str("\nXem chi tiết tại trang Việc cần xử lý (/inbox).\n-- \nngoaivu\n");
    (subject, body)
}

/// `ngoaivu remind`: list (`dry_run`) or send the reminders of `today`.
pub(crate) async fn run(
    service: &Service,
    backend: &Arc<dyn Backend>,
    today: Date,
    dry_run: bool,
    smtp: Option<&Smtp>,
) -> anyhow::Result<()> {
    if !dry_run && smtp.is_none() {
        bail!(
            "no SMTP server is configured (NGOAIVU_SMTP_URL); use --dry-run to list what would be sent (Chưa cấu hình máy chủ thư; dùng --dry-run để xem danh sách)"
        );
    }
    let reminders = collect(service, backend, today).await?;
    if dry_run {
        let emails = backend
            .user_emails()
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "Nhắc việc ngày {} (thử, không gửi) / reminders for {} (dry run, nothing sent)",
            format_date_vi(today),
            today
        );
        let mut total = 0;
        for r in &reminders {
            let to = emails
                .iter()
                .find(|(id, _)| *id == r.user_id)
                .map(|(_, e)| e.as_str())
                .unwrap_or("no e-mail address");
            println!();
            println!(
                "{} ({}, {}) <{to}>: {} mục / items",
                r.username,
                r.org,
                r.role,
                r.items.len()
            );
            for i in &r.items {
                total += 1;
                println!("  - {}", line(i));
            }
        }
        println!();
        println!("{total} nhắc việc / reminders");
        return Ok(());
    }
    let outcome = send(backend, &reminders, today, smtp.expect("checked above")).await?;
    println!(
        "sent {} digests; {} users with reminders have no e-mail address; {} already sent today",
        outcome.sent, outcome.skipped, outcome.already
    );
    if !outcome.failed.is_empty() {
        anyhow::bail!(
            "{} digests not sent: {}",
            outcome.failed.len(),
            outcome.failed.join("; ")
        );
    }
    Ok(())
}

/// What one run of [`send`] did.
#[derive(Debug, Default)]
pub(crate) struct Sent {
    pub sent: usize,
    /// Users with reminders but no e-mail address.
    pub skipped: usize,
    /// Users whose digest of the day had already gone out (an earlier run,
    /// before a restart).
    pub already: usize,
    /// One line per digest that could not be sent (user: reason).
    pub failed: Vec<String>,
}

/// E-mail each reminder whose user has an address. A message the server
/// refuses (or a bad address) is logged, counted and passed over: one
/// failure does not keep the others' digests from going out.
pub(crate) async fn send(
    backend: &Arc<dyn Backend>,
    reminders: &[Reminder],
    today: Date,
    smtp: &Smtp,
) -> anyhow::Result<Sent> {
    let emails = backend
        .user_emails()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp.url)
        .context("NGOAIVU_SMTP_URL is not a valid SMTP URL")?
        .build();
    let from: lettre::message::Mailbox = smtp
        .from
        .parse()
        .with_context(|| format!("NGOAIVU_SMTP_FROM “{}” is not an address", smtp.from))?;
    let day = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let done = backend
        .digests_sent(&day)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = Sent::default();
    for r in reminders {
        let Some((_, to)) = emails.iter().find(|(id, _)| *id == r.user_id) else {
            out.skipped += 1;
            continue;
        };
        if done.contains(&r.user_id) {
            out.already += 1;
            continue;
        }
        let (subject, body) = digest(r, today);
        let mut fail = |why: String| {
            tracing::warn!(user = %r.username, address = %to, error = %why, "reminder not sent");
            metrics::counter!("ngoaivu_reminders_failed_total").increment(1);
            out.failed.push(format!("{}: {why}", r.username));
        };
        let to_box: lettre::message::Mailbox = match to.parse() {
            Ok(a) => a,
            Err(e) => {
                fail(format!("bad address {to} ({e})"));
                continue;
            }
        };
        let msg = match Message::builder()
            .from(from.clone())
            .to(to_box)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
        {
            Ok(m) => m,
            Err(e) => {
                fail(e.to_string());
                continue;
            }
        };
        match mailer.send(msg).await {
            Ok(_) => {
                metrics::counter!("ngoaivu_reminders_sent_total").increment(1);
                out.sent += 1;
                // Noted at once, so that a stop between two messages
                // repeats none of those sent.
                if let Err(e) = backend.note_digest_sent(&day, r.user_id).await {
                    tracing::warn!(user = %r.username, error = %e, "digest sent but not noted: a run today may send it again");
                }
            }
            Err(e) => fail(e.to_string()),
        }
    }
    Ok(out)
}

/// The daily digest inside `serve`: every day at 07:00 Vietnam time, the
/// day's reminders e-mailed. A server started after 07:00 runs the day's
/// at once: those already sent that day (noted in the database) are not
/// sent again, those missed while it was down go out. A failed run is
/// logged and the next day tried.
pub(crate) async fn daily(service: Service, backend: Arc<dyn Backend>, smtp: Smtp) {
    metrics::gauge!("ngoaivu_background_tasks", "task" => "daily_reminders").set(1.0);
    let mut first = true;
    loop {
        let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7));
        let seven = now.replace_time(time::macros::time!(07:00));
        if !(first && now >= seven) {
            let next = if seven > now {
                seven
            } else {
                seven + time::Duration::days(1)
            };
            tokio::time::sleep((next - now).unsigned_abs()).await;
        }
        first = false;
        let today = ngoaivu_store::service::today_in_vietnam();
        let result = async {
            let reminders = collect(&service, &backend, today).await?;
            send(&backend, &reminders, today, &smtp).await
        }
        .await;
        match result {
            Ok(o) => tracing::info!(
                sent = o.sent,
                skipped = o.skipped,
                already = o.already,
                failed = o.failed.len(),
                "daily reminders sent"
            ),
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "daily reminders failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngoaivu_core::RecordType;

    #[test]
    fn a_digest_names_the_day_what_is_overdue_and_each_record() {
        let r = Reminder {
            user_id: 1,
            username: "vinh-long-editor".into(),
            org: "vinh-long".into(),
            role: "editor",
            items: vec![Item {
                reason: Reason::ReportOverdue,
                rt: RecordType::Delegation,
                record_type: "delegation",
                id: 12,
                title: "Xúc tiến thương mại tại Hàn Quốc".into(),
                status: "returned".into(),
                date: Some("2026-01-23".into()),
            }],
        };
        let (subject, body) = digest(&r, parse_date("2026-02-02").unwrap());
        assert_eq!(
            subject,
            "[ngoaivu] 1 việc cần xử lý ngày 02/02/2026 (1 quá hạn)"
        );
        assert!(body.contains(
            "- [Báo cáo quá hạn] Đoàn ra, đoàn vào #12: Xúc tiến thương mại tại Hàn Quốc — Đã về nước · 23/01/2026"
        ), "{body}");
    }
}
