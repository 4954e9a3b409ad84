//! The reader's documents on each backend: kept once per organisation and
//! text, listed as a queue, seen only by their organisation (and the
//! Ministry), closed with the number of facts saved, each write audited.

use ngoaivu_core::Role;
use ngoaivu_store::{DocumentStatus, NewReaderDocument, Service, StoreError};
use ngoaivu_store_tests::{actor, both};

fn doc(title: &str, text: &str) -> NewReaderDocument {
    NewReaderDocument {
        title: title.into(),
        file_name: format!("{title}.pdf"),
        format: "pdf".into(),
        doc_date: Some("2023-12-20".into()),
        text: text.into(),
        page_starts: vec![0, 10],
        warnings: vec![serde_json::json!({"vi": "cảnh báo", "en": "warning"})],
        status: DocumentStatus::Queued,
    }
}

#[tokio::test]
async fn reader_documents_queue_isolation_and_audit() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "vl").await;
        let vl_viewer = actor(&b, "vinh-long", Role::Viewer, "vlv").await;
        let dl = actor(&b, "dak-lak", Role::Editor, "dl").await;
        let mofa = actor(&b, "bo-ngoai-giao", Role::Viewer, "bng").await;
        let mission = actor(&b, "dsq-nhat-ban", Role::Editor, "dsq").await;

        let text = "Báo cáo công tác đối ngoại năm 2023 của tỉnh Vĩnh Long.";
        let (a, new) = s
            .add_document(&vl, &doc("Báo cáo 2023", text))
            .await
            .unwrap();
        assert!(new, "{kind}");
        assert_eq!(a.sha256.len(), 64);
        assert_eq!(a.page_starts, vec![0, 10], "{kind}");
        assert_eq!(a.warnings.len(), 1, "{kind}");
        assert_eq!(a.status, DocumentStatus::Queued);
        // The same text again: the kept one, not a second.
        let (again, new) = s.add_document(&vl, &doc("Tên khác", text)).await.unwrap();
        assert!(!new, "{kind}");
        assert_eq!(again.id, a.id);
        // Another province keeps its own copy.
        let (d, new) = s.add_document(&dl, &doc("Đắk Lắk", text)).await.unwrap();
        assert!(new && d.id != a.id, "{kind}");

        // Refused: a viewer, a mission, an empty text, a page outside it.
        assert!(matches!(
            s.add_document(&vl_viewer, &doc("x", "y")).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.add_document(&mission, &doc("x", "y")).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.add_document(&vl, &doc("x", "  ")).await,
            Err(StoreError::Invalid(_))
        ));
        let mut bad = doc("x", "short text");
        bad.page_starts = vec![0, 99];
        assert!(matches!(
            s.add_document(&vl, &bad).await,
            Err(StoreError::Invalid(_))
        ));

        // The queue: own documents only; the Ministry sees both; lists carry no text.
        let q = s
            .documents(&vl, Some(DocumentStatus::Queued), 50)
            .await
            .unwrap();
        assert_eq!(
            q.iter().map(|d| d.id).collect::<Vec<_>>(),
            vec![a.id],
            "{kind}"
        );
        assert!(q[0].text.is_empty());
        assert_eq!(
            s.documents(&mofa, None, 50).await.unwrap().len(),
            2,
            "{kind}"
        );
        assert!(s.documents(&mission, None, 50).await.unwrap().is_empty());
        assert!(matches!(
            s.document(&dl, a.id).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.document(&mofa, a.id).await.unwrap().text, text);

        // Found by the start of its hash, own organisation's first.
        let h = &a.sha256[..16];
        assert_eq!(s.document_by_hash(&vl, h).await.unwrap().unwrap().id, a.id);
        assert_eq!(s.document_by_hash(&dl, h).await.unwrap().unwrap().id, d.id);
        assert!(s.document_by_hash(&vl, "abc").await.unwrap().is_none());
        assert!(
            s.document_by_hash(&vl, "zzzzzzzzzzzzzzzz")
                .await
                .unwrap()
                .is_none()
        );

        // Closing: another province and a viewer may not; the editor may.
        assert!(
            s.finish_document(&dl, a.id, DocumentStatus::Reviewed, 3)
                .await
                .is_err()
        );
        assert!(matches!(
            s.finish_document(&vl_viewer, a.id, DocumentStatus::Reviewed, 3)
                .await,
            Err(StoreError::Forbidden(_))
        ));
        let done = s
            .finish_document(&vl, a.id, DocumentStatus::Reviewed, 3)
            .await
            .unwrap();
        assert_eq!(
            (done.status, done.facts_saved),
            (DocumentStatus::Reviewed, 3)
        );
        assert_eq!(done.reviewed_by.as_deref(), Some("vl"));
        assert!(
            s.documents(&vl, Some(DocumentStatus::Queued), 50)
                .await
                .unwrap()
                .is_empty()
        );

        // Every write has its audit row.
        let trail = s.document_history(&vl, a.id).await.unwrap();
        assert!(s.document_history(&dl, a.id).await.is_err());
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["upload", "review"], "{kind}");
    }
}
