//! The channel's suggestions as a table: on a request's page and on an
//! investment-catalog project's page.

use maud::{Markup, html};
use ngoaivu_core::Lang;

use crate::kit::text::t;

/// Suggested missions, partners and market notes with their reasons, best
/// first; `ask_href` gives a mission the link that sends it a request, when
/// the viewer may.
pub(crate) fn suggestions_table(
    suggestions: &[ngoaivu_store::channel::Suggestion],
    lang: Lang,
    ask_href: impl Fn(&str) -> Option<String>,
) -> Markup {
    html! {
        @if suggestions.is_empty() {
            p.empty { (t(lang, "Chưa có gợi ý.", "No suggestions.")) }
        } @else {
            div.table-wrap {
                table.list aria-labelledby="sugg-h" {
                    thead { tr {
                        th scope="col" { (t(lang, "Loại", "Kind")) }
                        th scope="col" { (t(lang, "Tên", "Name")) }
                        th scope="col" { (t(lang, "Lý do", "Why")) }
                        th scope="col" .num { (t(lang, "Điểm", "Score")) }
                    } }
                    tbody {
                        @for s in suggestions.iter().take(15) {
                            tr {
                                td { @match s.kind {
                                    "mission" => (t(lang, "Cơ quan đại diện", "Mission")),
                                    "partner" => (t(lang, "Đối tác", "Partner")),
                                    _ => (t(lang, "Bản tin thị trường", "Market note")),
                                } }
                                td { @match (s.kind, s.id, &s.slug) {
                                    ("partner", Some(id), _) => a href={ "/records/partners/" (id) } { (s.title) },
                                    ("note", Some(id), _) => a href={ "/market-notes/" (id) } { (s.title) },
                                    ("mission", _, Some(slug)) => {
                                        (s.title)
                                        @if let Some(href) = ask_href(slug) {
                                            " · " a href=(href) { (t(lang, "gửi đề nghị", "send a request")) }
                                        }
                                    },
                                    _ => (s.title),
                                } }
                                td { (lang.pick(&s.reasons_vi, &s.reasons_en)) }
                                td.num { (s.score) }
                            }
                        }
                    }
                }
            }
        }
    }
}
