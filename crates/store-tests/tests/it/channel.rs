//! The province–mission channel on each backend: who sees which request,
//! every status change allowed and refused (with nothing written when
//! refused), the thread, unread state, follows → inbox, and suggestions.

use ngoaivu_core::channel::{Action, Follows, NoteDraft, Refusal, RequestDraft, RequestStatus};
use ngoaivu_core::{Actor, Denied, RecordType, Role};
use ngoaivu_store::{ChannelItem, NoteFilter, RequestFilter, Service, StoreError};
use ngoaivu_store_tests::{actor, both};
use serde_json::json;

fn coffee(missions: &[&str]) -> RequestDraft {
    RequestDraft {
        missions: missions.iter().map(|s| s.to_string()).collect(),
        subject: "Tìm đối tác chế biến cà phê tại Nhật Bản".into(),
        body: "Đề nghị Đại sứ quán giới thiệu doanh nghiệp Nhật Bản chế biến cà phê.".into(),
        sector: "agriculture".into(),
        country: "JP".into(),
        deadline: Some("2099-12-31".into()),
    }
}

fn refusal(r: Result<impl std::fmt::Debug, StoreError>) -> Refusal {
    match r {
        Err(StoreError::Forbidden(Denied::Channel(x))) => x,
        other => panic!("expected a channel refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn who_sees_a_request_and_who_may_move_it() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let dak_lak = actor(&b, "dak-lak", Role::Editor, "dl-editor").await;
        let dak_lak_viewer = actor(&b, "dak-lak", Role::Viewer, "dl-viewer").await;
        let other_province = actor(&b, "vinh-long", Role::Admin, "vl-admin").await;
        let japan = actor(&b, "dsq-nhat-ban", Role::Editor, "nb-editor").await;
        let japan_viewer = actor(&b, "dsq-nhat-ban", Role::Viewer, "nb-viewer").await;
        let osaka = actor(&b, "tlsq-osaka", Role::Editor, "osaka-editor").await;
        let laos = actor(&b, "dsq-lao", Role::Admin, "lao-admin").await;
        let ministry = actor(&b, "bo-ngoai-giao", Role::Admin, "bng-admin").await;

        // Sending: only provinces, only writers, only to missions.
        assert_eq!(
            refusal(s.send_request(&japan, &coffee(&["dsq-lao"])).await),
            Refusal::OnlyProvincesSend
        );
        // The Ministry writes to provinces (about their records), not to
        // missions.
        assert_eq!(
            refusal(s.send_request(&ministry, &coffee(&["dsq-lao"])).await),
            Refusal::NotAProvince
        );
        assert_eq!(
            refusal(s.send_request(&dak_lak_viewer, &coffee(&["dsq-lao"])).await),
            Refusal::ReadOnlyRole
        );
        assert_eq!(
            refusal(s.send_request(&dak_lak, &coffee(&["vinh-long"])).await),
            Refusal::NotAMission
        );
        assert!(matches!(
            s.send_request(&dak_lak, &coffee(&["dsq-khong-co"])).await,
            Err(StoreError::Invalid(_))
        ));

        // One request per mission, sharing a batch.
        let sent = s
            .send_request(&dak_lak, &coffee(&["dsq-nhat-ban", "tlsq-osaka"]))
            .await
            .unwrap();
        assert_eq!(sent.len(), 2, "{kind}");
        assert_eq!(sent[0].batch, sent[0].id);
        assert_eq!(sent[1].batch, sent[0].id);
        assert_eq!(sent[0].status, RequestStatus::Open);
        assert_eq!(sent[0].to.slug, "dsq-nhat-ban");
        let id = sent[0].id;
        let osaka_id = sent[1].id;

        // Visibility: sender, addressed mission and Ministry; nobody else.
        let lists = |a: &Actor| {
            let s = s.clone();
            let a = a.clone();
            async move {
                s.requests(&a, &RequestFilter::default())
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|r| r.id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(lists(&dak_lak).await, vec![osaka_id, id], "{kind}");
        assert_eq!(lists(&dak_lak_viewer).await, vec![osaka_id, id], "{kind}");
        assert_eq!(lists(&japan).await, vec![id], "{kind}");
        assert_eq!(lists(&osaka).await, vec![osaka_id], "{kind}");
        assert_eq!(lists(&ministry).await, vec![osaka_id, id], "{kind}");
        assert!(lists(&laos).await.is_empty(), "{kind}");
        assert!(lists(&other_province).await.is_empty(), "{kind}");
        for outsider in [&laos, &other_province, &osaka] {
            assert!(
                matches!(
                    s.request_thread(outsider, id).await,
                    Err(StoreError::NotFound)
                ),
                "{kind}"
            );
            assert!(matches!(
                s.post_message(outsider, id, Action::Answer, "x", None)
                    .await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.channel_history(outsider, ChannelItem::Request(id)).await,
                Err(StoreError::NotFound)
            ));
        }
        assert!(s.request_thread(&ministry, id).await.is_ok());

        // The mission sees it as new until it opens it.
        let unread = s.inbox(&japan).await.unwrap();
        assert_eq!(
            unread.requests.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![id]
        );
        s.request_thread(&japan, id).await.unwrap();
        assert!(s.inbox(&japan).await.unwrap().requests.is_empty(), "{kind}");

        // Refused moves write nothing.
        let history_len = s
            .channel_history(&dak_lak, ChannelItem::Request(id))
            .await
            .unwrap()
            .len();
        assert_eq!(history_len, 1, "{kind}: the create");
        assert_eq!(
            refusal(
                s.post_message(&dak_lak, id, Action::Answer, "x", None)
                    .await
            ),
            Refusal::OnlyMissionAnswers
        );
        assert_eq!(
            refusal(
                s.post_message(&dak_lak, id, Action::AskBack, "x", None)
                    .await
            ),
            Refusal::OnlyMissionAnswers
        );
        assert_eq!(
            refusal(s.post_message(&japan, id, Action::Reply, "x", None).await),
            Refusal::OnlySenderReplies
        );
        assert_eq!(
            refusal(
                s.post_message(&ministry, id, Action::Answer, "x", None)
                    .await
            ),
            Refusal::MinistryObserves
        );
        assert_eq!(
            refusal(
                s.post_message(&japan_viewer, id, Action::Answer, "x", None)
                    .await
            ),
            Refusal::ReadOnlyRole
        );
        assert_eq!(
            refusal(
                s.post_message(&dak_lak_viewer, id, Action::Reply, "x", None)
                    .await
            ),
            Refusal::ReadOnlyRole
        );
        assert!(matches!(
            s.post_message(&japan, id, Action::Answer, "  ", None).await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(
            s.channel_history(&dak_lak, ChannelItem::Request(id))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            s.request_thread(&dak_lak, id)
                .await
                .unwrap()
                .messages
                .is_empty()
        );

        // open → asked_back → open → answered → answered → closed.
        let steps = [
            (&japan, Action::AskBack, RequestStatus::AskedBack),
            (&dak_lak, Action::Reply, RequestStatus::Open),
            (&japan, Action::Answer, RequestStatus::Answered),
            (&japan, Action::Answer, RequestStatus::Answered),
            (&japan, Action::Close, RequestStatus::Closed),
        ];
        for (n, (who, action, want)) in steps.into_iter().enumerate() {
            let m = s
                .post_message(who, id, action, &format!("Nội dung {n}"), None)
                .await
                .unwrap_or_else(|e| panic!("{kind} step {n}: {e}"));
            assert_eq!(m.status, want, "{kind} step {n}");
            assert_eq!(m.org.slug, who.org_slug);
            let t = s.request_thread(&ministry, id).await.unwrap();
            assert_eq!(t.request.status, want, "{kind} step {n}");
        }
        let thread = s.request_thread(&dak_lak, id).await.unwrap();
        assert_eq!(thread.messages.len(), 5);
        assert_eq!(thread.messages[0].action, Action::AskBack);
        assert_eq!(thread.messages[1].body, "Nội dung 1");
        let history = s
            .channel_history(&ministry, ChannelItem::Request(id))
            .await
            .unwrap();
        let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(
            actions,
            ["create", "ask_back", "reply", "answer", "answer", "close"],
            "{kind}"
        );
        assert_eq!(history[5].before.as_ref().unwrap()["status"], "answered");
        assert_eq!(history[5].after.as_ref().unwrap()["status"], "closed");

        // Closed: nothing more, from either side.
        for (who, action) in [
            (&japan, Action::Answer),
            (&dak_lak, Action::Reply),
            (&dak_lak, Action::Close),
        ] {
            assert_eq!(
                refusal(s.post_message(who, id, action, "x", None).await),
                Refusal::Closed
            );
        }
        // The sending province may close its own request too.
        let m = s
            .post_message(&dak_lak, osaka_id, Action::Close, "", None)
            .await
            .unwrap();
        assert_eq!(m.status, RequestStatus::Closed);

        // Files: parties while open; never the Ministry; not once closed.
        let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
        assert_eq!(
            refusal(
                s.attach_channel(
                    &japan,
                    ChannelItem::Request(id),
                    "a.pdf",
                    pdf.clone(),
                    1 << 20
                )
                .await
            ),
            Refusal::Closed
        );
        let again = s
            .send_request(&dak_lak, &coffee(&["dsq-nhat-ban"]))
            .await
            .unwrap();
        let open_id = again[0].id;
        s.request_thread(&japan, open_id).await.unwrap();
        let news = s.inbox(&japan).await.unwrap().requests;
        assert!(news.iter().all(|r| r.id != open_id), "{kind}: read");
        let meta = s
            .attach_channel(
                &dak_lak,
                ChannelItem::Request(open_id),
                "Hồ sơ.pdf",
                pdf.clone(),
                1 << 20,
            )
            .await
            .unwrap();
        assert_eq!(
            refusal(
                s.attach_channel(
                    &ministry,
                    ChannelItem::Request(open_id),
                    "a.pdf",
                    pdf.clone(),
                    1 << 20
                )
                .await
            ),
            Refusal::MinistryObserves
        );
        assert!(matches!(
            s.attach_channel(
                &laos,
                ChannelItem::Request(open_id),
                "a.pdf",
                pdf.clone(),
                1 << 20
            )
            .await,
            Err(StoreError::NotFound)
        ));
        // The file is news for the mission.
        let news = s.inbox(&japan).await.unwrap().requests;
        assert!(
            news.iter().any(|r| r.id == open_id),
            "{kind}: a new file is news"
        );
        let (got, bytes) = s
            .channel_attachment(&japan, ChannelItem::Request(open_id), meta.id)
            .await
            .unwrap();
        assert_eq!((got.filename.as_str(), bytes), ("Hồ sơ.pdf", pdf.clone()));
        assert!(matches!(
            s.channel_attachment(&osaka, ChannelItem::Request(open_id), meta.id)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(
            matches!(
                s.channel_attachment(&japan, ChannelItem::Request(id), meta.id)
                    .await,
                Err(StoreError::NotFound)
            ),
            "an attachment is only found under its own request"
        );
    }
}

#[tokio::test]
async fn notes_follows_inbox_and_suggestions() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let dak_lak = actor(&b, "dak-lak", Role::Editor, "dl-editor").await;
        let dak_lak_2 = actor(&b, "dak-lak", Role::Viewer, "dl-viewer").await;
        let japan = actor(&b, "dsq-nhat-ban", Role::Editor, "nb-editor").await;
        let korea = actor(&b, "dsq-han-quoc", Role::Editor, "hq-editor").await;
        let ministry = actor(&b, "bo-ngoai-giao", Role::Admin, "bng-admin").await;

        let note = |kind: &str, title: &str, sector: &str, country: &str, date: &str| NoteDraft {
            kind: kind.into(),
            title: title.into(),
            body: "Nội dung bản tin.".into(),
            sector: sector.into(),
            country: country.into(),
            date: date.into(),
        };
        assert_eq!(
            refusal(
                s.publish_note(
                    &dak_lak,
                    &note("opportunity", "x", "agriculture", "JP", "2026-01-05")
                )
                .await
            ),
            Refusal::OnlyMissionsPublish
        );
        assert!(matches!(
            s.publish_note(&japan, &note("rumour", "", "coffee", "XX", "2026-13-01")).await,
            Err(StoreError::Invalid(inv)) if inv.0.len() == 5
        ));
        let coffee_jp = s
            .publish_note(
                &japan,
                &note(
                    "opportunity",
                    "Nhu cầu cà phê đặc sản tại Nhật Bản",
                    "agriculture",
                    "JP",
                    "2026-01-05",
                ),
            )
            .await
            .unwrap();
        let barrier_jp = s
            .publish_note(
                &japan,
                &note(
                    "trade_barrier",
                    "Quy định dư lượng thuốc bảo vệ thực vật",
                    "trade",
                    "JP",
                    "2026-01-07",
                ),
            )
            .await
            .unwrap();
        let tourism_kr = s
            .publish_note(
                &korea,
                &note(
                    "market_info",
                    "Du khách Hàn Quốc",
                    "tourism",
                    "KR",
                    "2026-01-06",
                ),
            )
            .await
            .unwrap();
        let all = s.notes(&ministry, &NoteFilter::default()).await.unwrap();
        assert_eq!(
            all.iter().map(|n| n.id).collect::<Vec<_>>(),
            vec![barrier_jp.id, tourism_kr.id, coffee_jp.id]
        );
        let jp = s
            .notes(
                &dak_lak,
                &NoteFilter {
                    country: Some("JP".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(jp.len(), 2, "{kind}");
        assert_eq!(
            s.channel_history(&dak_lak, ChannelItem::Note(coffee_jp.id))
                .await
                .unwrap()
                .len(),
            1
        );

        // Follows: provinces only; the inbox shows unread notes that match.
        assert_eq!(
            refusal(s.set_follows(&japan, Follows::default()).await),
            Refusal::OnlyProvincesFollow
        );
        assert_eq!(
            refusal(s.set_follows(&dak_lak_2, Follows::default()).await),
            Refusal::ReadOnlyRole
        );
        assert!(
            s.inbox(&dak_lak).await.unwrap().notes.is_empty(),
            "no follows, no notes"
        );
        s.set_follows(
            &dak_lak,
            Follows {
                sectors: vec!["agriculture".into()],
                countries: vec!["KR".into()],
            },
        )
        .await
        .unwrap();
        let inbox = s.inbox(&dak_lak).await.unwrap();
        assert_eq!(
            inbox.notes.iter().map(|n| n.id).collect::<Vec<_>>(),
            vec![tourism_kr.id, coffee_jp.id],
            "{kind}"
        );
        // Unread is per user: one reads, the other still sees it as new.
        s.note(&dak_lak, coffee_jp.id).await.unwrap();
        assert_eq!(s.inbox(&dak_lak).await.unwrap().notes.len(), 1);
        assert_eq!(s.inbox(&dak_lak_2).await.unwrap().notes.len(), 2);
        // The publishing mission never sees its own notes as new.
        assert!(
            s.notes(&japan, &NoteFilter::default())
                .await
                .unwrap()
                .iter()
                .filter(|n| n.org.slug == "dsq-nhat-ban")
                .all(|n| !n.unread)
        );

        // A request with news appears in the sender's inbox after an answer.
        let r = s
            .send_request(&dak_lak, &coffee_request())
            .await
            .unwrap()
            .remove(0);
        assert!(
            s.inbox(&dak_lak).await.unwrap().requests.is_empty(),
            "own message is not news"
        );
        s.post_message(
            &japan,
            r.id,
            Action::Answer,
            "Đã có ba doanh nghiệp quan tâm.",
            None,
        )
        .await
        .unwrap();
        let inbox = s.inbox(&dak_lak).await.unwrap();
        assert_eq!(
            inbox.requests.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![r.id]
        );
        assert_eq!(inbox.requests[0].status, RequestStatus::Answered);
        s.request_thread(&dak_lak, r.id).await.unwrap();
        assert!(s.inbox(&dak_lak).await.unwrap().requests.is_empty());

        // Suggestions: ranked, with reasons.
        for (name, country, sectors) in [
            ("Công ty cà phê Kyoto", "JP", json!(["agriculture"])),
            ("Hiệp hội du lịch Osaka", "JP", json!(["tourism"])),
            ("Công ty nông sản Busan", "KR", json!(["agriculture"])),
            ("Hội chợ Paris", "FR", json!(["culture"])),
        ] {
            s.create(
                &dak_lak,
                RecordType::Partner,
                json!({"name": name, "kind": "enterprise", "country": country, "sectors": sectors}),
            )
            .await
            .unwrap();
        }
        let sugg = s.suggestions(&dak_lak, r.id).await.unwrap();
        let partners: Vec<_> = sugg
            .iter()
            .filter(|x| x.kind == "partner")
            .map(|x| x.title.as_str())
            .collect();
        assert_eq!(
            partners,
            [
                "Công ty cà phê Kyoto",
                "Hiệp hội du lịch Osaka",
                "Công ty nông sản Busan"
            ],
            "{kind}"
        );
        let first = &sugg[0];
        assert_eq!(first.score, 5, "{kind}: {sugg:?}");
        assert!(sugg.windows(2).all(|w| w[0].score >= w[1].score), "ranked");
        let kyoto = sugg
            .iter()
            .find(|x| x.title == "Công ty cà phê Kyoto")
            .unwrap();
        assert_eq!(
            kyoto.reasons_vi,
            "cùng ngành: nông nghiệp; cùng quốc gia: Nhật Bản"
        );
        let missions: Vec<_> = sugg
            .iter()
            .filter(|x| x.kind == "mission")
            .map(|x| x.slug.clone().unwrap())
            .collect();
        // The other mission in Japan; not the one already asked, not Korea's.
        assert_eq!(missions, ["tlsq-osaka"], "{kind}");
        let osaka = sugg.iter().find(|x| x.kind == "mission").unwrap();
        assert_eq!(
            (osaka.score, osaka.reasons_vi.as_str()),
            (3, "cùng quốc gia: Nhật Bản")
        );
        // Asked of Osaka instead, the embassy (which published an
        // agriculture note on Japan) is suggested: sector and country.
        let r2 = s
            .send_request(&dak_lak, &coffee(&["tlsq-osaka"]))
            .await
            .unwrap()
            .remove(0);
        let sugg2 = s.suggestions(&dak_lak, r2.id).await.unwrap();
        let m2 = sugg2.iter().find(|x| x.kind == "mission").unwrap();
        assert_eq!(m2.slug.as_deref(), Some("dsq-nhat-ban"));
        assert_eq!(
            (m2.score, m2.reasons_vi.as_str()),
            (5, "cùng ngành: nông nghiệp; cùng quốc gia: Nhật Bản")
        );
        let notes: Vec<_> = sugg
            .iter()
            .filter(|x| x.kind == "note")
            .map(|x| x.id.unwrap())
            .collect();
        assert_eq!(notes, vec![coffee_jp.id, barrier_jp.id], "{kind}");
        // A mission sees suggestions without the province's partners.
        let for_mission = s.suggestions(&japan, r.id).await.unwrap();
        assert!(for_mission.iter().all(|x| x.kind != "partner"));
        assert!(matches!(
            s.suggestions(&korea, r.id).await,
            Err(StoreError::NotFound)
        ));
    }
}

fn coffee_request() -> RequestDraft {
    coffee(&["dsq-nhat-ban"])
}

/// A request has a version that every message changes: a message meant for
/// a version someone has since written over is refused with the request as
/// it is now, and nothing is written.
#[tokio::test]
async fn a_message_for_a_thread_changed_since_is_refused_whole() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let dak_lak = actor(&b, "dak-lak", Role::Editor, "v-dl").await;
        let japan = actor(&b, "dsq-nhat-ban", Role::Editor, "v-nb").await;
        let japan2 = actor(&b, "dsq-nhat-ban", Role::Editor, "v-nb2").await;
        let id = s
            .send_request(&dak_lak, &coffee(&["dsq-nhat-ban"]))
            .await
            .unwrap()[0]
            .id;
        // Two mission users open the request.
        let seen = s.request_thread(&japan, id).await.unwrap().request.etag();
        assert_eq!(
            s.request_thread(&japan2, id).await.unwrap().request.etag(),
            seen
        );
        // The first answers; the version changes.
        s.post_message(&japan, id, Action::Answer, "Trả lời thứ nhất", Some(&seen))
            .await
            .unwrap();
        let now = s.request_thread(&japan, id).await.unwrap().request;
        assert_ne!(now.etag(), seen, "{kind}");
        let history = s
            .channel_history(&japan, ChannelItem::Request(id))
            .await
            .unwrap()
            .len();
        // The second, still on the version opened, is told.
        match s
            .post_message(&japan2, id, Action::AskBack, "Câu hỏi", Some(&seen))
            .await
        {
            Err(StoreError::StaleRequest(r)) => {
                assert_eq!(r.etag(), now.etag(), "{kind}");
                assert_eq!(r.status, RequestStatus::Answered, "{kind}");
            }
            other => panic!("{kind}: {other:?}"),
        }
        let after = s.request_thread(&japan, id).await.unwrap();
        assert_eq!(after.messages.len(), 1, "{kind}: nothing written");
        assert_eq!(
            s.channel_history(&japan, ChannelItem::Request(id))
                .await
                .unwrap()
                .len(),
            history,
            "{kind}: no audit row"
        );
        // With the version read now (or `*`), it goes.
        s.post_message(&japan2, id, Action::AskBack, "Câu hỏi", Some(&now.etag()))
            .await
            .unwrap();
        s.post_message(&dak_lak, id, Action::Reply, "Bổ sung", Some("*"))
            .await
            .unwrap();
        assert_eq!(
            s.request_thread(&japan, id).await.unwrap().messages.len(),
            3,
            "{kind}"
        );
    }
}

/// The Ministry reads provinces' records but writes none: it asks the
/// province to correct one, in a request addressed to the province, which
/// answers in the thread. Nobody else sees it.
#[tokio::test]
async fn the_ministry_asks_a_province_to_correct_a_record() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let ministry = actor(&b, "bo-ngoai-giao", Role::Editor, "c-bng").await;
        let ministry_viewer = actor(&b, "bo-ngoai-giao", Role::Viewer, "c-bng-v").await;
        let vinh_long = actor(&b, "vinh-long", Role::Editor, "c-vl").await;
        let dong_thap = actor(&b, "dong-thap", Role::Editor, "c-dt").await;
        let japan = actor(&b, "dsq-nhat-ban", Role::Editor, "c-nb").await;
        let record = s
            .create(
                &vinh_long,
                RecordType::Event,
                json!({"kind": "conference", "title": "Hội nghị xúc tiến 2025", "start_on": "2025-03-02"}),
            )
            .await
            .unwrap();
        // The Ministry may not change it...
        assert!(matches!(
            s.update(
                &ministry,
                RecordType::Event,
                record.id,
                &json!({"start_on": "2025-03-03"})
            )
            .await,
            Err(StoreError::Forbidden(Denied::OtherOrg))
        ));
        // ...it asks the province instead.
        let draft = RequestDraft {
            missions: vec!["vinh-long".into()],
            subject: "Đề nghị chỉnh sửa: Hội nghị xúc tiến 2025".into(),
            body: format!(
                "Ngày bắt đầu là 03/03/2025, không phải 02/03/2025 (hồ sơ số {}).",
                record.id
            ),
            sector: "other".into(),
            country: "VN".into(),
            deadline: None,
        };
        assert_eq!(
            refusal(s.send_request(&ministry_viewer, &draft).await),
            Refusal::ReadOnlyRole
        );
        let sent = s.send_request(&ministry, &draft).await.unwrap();
        let id = sent[0].id;
        assert_eq!(
            (sent[0].from.slug.as_str(), sent[0].to.slug.as_str()),
            ("bo-ngoai-giao", "vinh-long"),
            "{kind}"
        );
        // The province has it in its inbox; others do not see it.
        let inbox = s.inbox(&vinh_long).await.unwrap();
        assert!(inbox.requests.iter().any(|r| r.id == id), "{kind}");
        for outsider in [&dong_thap, &japan] {
            assert!(
                matches!(
                    s.request_thread(outsider, id).await,
                    Err(StoreError::NotFound)
                ),
                "{kind}"
            );
        }
        // The province answers (it corrected the record); the Ministry closes.
        assert_eq!(
            refusal(
                s.post_message(&vinh_long, id, Action::Reply, "x", None)
                    .await
            ),
            Refusal::OnlySenderReplies
        );
        s.update(
            &vinh_long,
            RecordType::Event,
            record.id,
            &json!({"start_on": "2025-03-03"}),
        )
        .await
        .unwrap();
        s.post_message(
            &vinh_long,
            id,
            Action::Answer,
            "Đã chỉnh sửa ngày bắt đầu.",
            None,
        )
        .await
        .unwrap();
        s.post_message(&ministry, id, Action::Close, "", None)
            .await
            .unwrap();
        let t = s.request_thread(&vinh_long, id).await.unwrap();
        assert_eq!(t.request.status, RequestStatus::Closed, "{kind}");
        assert_eq!(t.messages.len(), 2, "{kind}");
    }
}
