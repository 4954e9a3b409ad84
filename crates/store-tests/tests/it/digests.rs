//! The daily digest's bookkeeping on each backend: which user's digest of
//! which day went out, noted once (a second note of the same is ignored),
//! days kept apart.

use ngoaivu_core::Role;
use ngoaivu_store_tests::{actor, both};

#[tokio::test]
async fn digests_sent_are_noted_once_per_user_and_day() {
    for b in both().await {
        let kind = b.kind();
        let a = actor(&b, "vinh-long", Role::Editor, "dg-a").await;
        let c = actor(&b, "dak-lak", Role::Approver, "dg-c").await;
        assert!(
            b.digests_sent("2026-02-02").await.unwrap().is_empty(),
            "{kind}"
        );
        b.note_digest_sent("2026-02-02", c.user_id).await.unwrap();
        b.note_digest_sent("2026-02-02", a.user_id).await.unwrap();
        b.note_digest_sent("2026-02-02", a.user_id).await.unwrap();
        b.note_digest_sent("2026-02-03", a.user_id).await.unwrap();
        let mut want = vec![a.user_id, c.user_id];
        want.sort();
        assert_eq!(b.digests_sent("2026-02-02").await.unwrap(), want, "{kind}");
        assert_eq!(
            b.digests_sent("2026-02-03").await.unwrap(),
            vec![a.user_id],
            "{kind}"
        );
        assert!(
            b.digests_sent("2026-02-04").await.unwrap().is_empty(),
            "{kind}"
        );
    }
}
