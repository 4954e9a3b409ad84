//! The general rules added for issue 12 (how Vietnamese reports say whose a
//! figure is, when it counts and what it measures), each on sentences written
//! for the test — not taken from the fixtures. Spec:
//! `shared/specs/narrative-facts.md`, its "Clarifications" section.

use ngoaivu_extract::{
    DocDate, Facts, Indicator as I, PartnershipKind as K, Period as P, Qualifier as Q, Unit as U,
    extract,
};

fn d(s: &str) -> Option<DocDate> {
    Some(DocDate::parse(s).unwrap())
}

type Exp = (I, &'static str, P, f64, U, Q);

fn show(f: &Facts) -> String {
    f.observations
        .iter()
        .map(|o| {
            format!(
                "{} | {} | {:?} | {} {:?} {:?} | {:?}",
                o.indicator, o.locality, o.period, o.value, o.unit, o.qualifier, o.change_pct
            )
        })
        .collect::<Vec<_>>()
        .join("\n    ")
}

/// The text gives exactly these observations.
fn exactly(text: &str, date: &str, exp: &[Exp]) {
    let f = extract(text, d(date));
    let ok = f.observations.len() == exp.len()
        && exp.iter().all(|e| {
            f.observations.iter().any(|o| {
                o.indicator == e.0
                    && o.locality == e.1
                    && o.period == e.2
                    && (o.value - e.3).abs() <= 1e-6 * e.3.abs().max(1.0)
                    && o.unit == e.4
                    && o.qualifier == e.5
            })
        });
    assert!(
        ok,
        "TEXT: {text}\n  expected: {exp:?}\n  got:\n    {}",
        show(&f)
    );
}

// ------------------------------------------------------------ whose figure

#[test]
fn a_venue_is_never_the_owner() {
    // The meeting is held in Hà Nội; the figure is the reporting province's.
    exactly(
        "Sở Ngoại vụ tỉnh Nghệ An báo cáo.\n\nTại hội nghị tổng kết tổ chức ở Hà Nội, tỉnh cho biết năm 2021 đã đón 35 đoàn khách nước ngoài.",
        "2022-01-10",
        &[(
            I::DelegationsInbound,
            "Nghệ An",
            P::Year(2021),
            35.0,
            U::Count,
            Q::Exact,
        )],
    );
    // …but an investment made in a place is that place's.
    exactly(
        "Năm 2020 có 12 dự án FDI đầu tư tại Bình Định.",
        "2021-02-01",
        &[(
            I::FdiProjects,
            "Bình Định",
            P::Year(2020),
            12.0,
            U::Count,
            Q::Exact,
        )],
    );
}

#[test]
fn the_nation_as_recipient_is_national() {
    exactly(
        "Tin từ Sở Ngoại vụ Cần Thơ.\n\nNăm 2019, các tổ chức phi chính phủ đã viện trợ cho Việt Nam khoảng 250 triệu USD.",
        "2020-03-01",
        &[(
            I::NgoAidAmount,
            "Việt Nam",
            P::Year(2019),
            250e6,
            U::Usd,
            Q::About,
        )],
    );
    exactly(
        "Năm 2010, kiều hối chuyển về Việt Nam đạt 8 tỷ USD.",
        "2011-01-05",
        &[(
            I::Remittances,
            "Việt Nam",
            P::Year(2010),
            8e9,
            U::Usd,
            Q::Exact,
        )],
    );
}

#[test]
fn national_wording_in_a_ranking_is_not_the_owner() {
    exactly(
        "Năm 2022, Long An đứng đầu cả nước về thu hút FDI với tổng vốn đăng ký 1,2 tỷ USD.",
        "2023-01-05",
        &[(
            I::FdiCapitalRegistered,
            "Long An",
            P::Year(2022),
            1.2e9,
            U::Usd,
            Q::Exact,
        )],
    );
}

#[test]
fn lan_luot_hands_values_to_the_units_listed() {
    exactly(
        "Năm 2021, các tỉnh Bình Dương, Đồng Nai và Long An thu hút vốn FDI lần lượt là 2,1 tỷ USD, 1,5 tỷ USD và 0,9 tỷ USD.",
        "2022-01-05",
        &[
            (
                I::FdiCapitalRegistered,
                "Bình Dương",
                P::Year(2021),
                2.1e9,
                U::Usd,
                Q::Exact,
            ),
            (
                I::FdiCapitalRegistered,
                "Đồng Nai",
                P::Year(2021),
                1.5e9,
                U::Usd,
                Q::Exact,
            ),
            (
                I::FdiCapitalRegistered,
                "Long An",
                P::Year(2021),
                0.9e9,
                U::Usd,
                Q::Exact,
            ),
        ],
    );
}

#[test]
fn lan_luot_hands_values_to_the_years_listed() {
    exactly(
        "Năm 2020, kiều hối về Việt Nam đạt 17 tỷ USD; còn năm 2019 và 2018 tương ứng lần lượt là 16 tỷ USD và 15 tỷ USD.",
        "2021-01-10",
        &[
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2020),
                17e9,
                U::Usd,
                Q::Exact,
            ),
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2019),
                16e9,
                U::Usd,
                Q::Exact,
            ),
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2018),
                15e9,
                U::Usd,
                Q::Exact,
            ),
        ],
    );
}

#[test]
fn a_shared_threshold_gives_no_figure() {
    exactly(
        "Các địa phương có vốn FDI trên 2 tỷ USD gồm Hà Nội, Bắc Ninh và Hải Phòng.",
        "2022-12-01",
        &[],
    );
}

#[test]
fn rieng_x_takes_the_measure_before() {
    exactly(
        "Năm 2018, kiều hối về Việt Nam đạt 15 tỷ USD. Riêng Đà Nẵng nhận khoảng 300 triệu USD.",
        "2019-01-10",
        &[
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2018),
                15e9,
                U::Usd,
                Q::Exact,
            ),
            (
                I::Remittances,
                "Đà Nẵng",
                P::Year(2018),
                300e6,
                U::Usd,
                Q::About,
            ),
        ],
    );
}

#[test]
fn the_overseas_community_with_no_province_is_national() {
    exactly(
        "Cộng đồng người Việt Nam ở nước ngoài nay đã vượt 5 triệu người.",
        "2020-06-01",
        &[(
            I::OverseasVnPopulation,
            "Việt Nam",
            P::AsOf(2020),
            5e6,
            U::People,
            Q::Over,
        )],
    );
}

// ------------------------------------------------------------ when

#[test]
fn windows_counted_back_are_since() {
    exactly(
        "Trong 5 năm qua, tỉnh Quảng Trị đã ký 14 thỏa thuận hợp tác quốc tế.",
        "2020-11-01",
        &[(
            I::AgreementsSigned,
            "Quảng Trị",
            P::Since(2016),
            14.0,
            U::Count,
            Q::Exact,
        )],
    );
}

#[test]
fn a_cut_off_at_the_years_end_is_the_year_and_earlier_is_a_part() {
    exactly(
        "Năm 2020, tính đến ngày 20/12, tỉnh Bình Phước đã thu hút 300 triệu USD vốn đầu tư nước ngoài.",
        "2020-12-28",
        &[(
            I::FdiCapitalRegistered,
            "Bình Phước",
            P::Year(2020),
            300e6,
            U::Usd,
            Q::Exact,
        )],
    );
    exactly(
        "Đến ngày 15/9/2020, tỉnh Bình Phước đã cấp mới 40 dự án FDI.",
        "2020-12-28",
        &[],
    );
    // A stock counted at such a date is as of that year.
    exactly(
        "Lũy kế đến tháng 8/2020, tỉnh Bình Phước có 320 dự án FDI.",
        "2020-12-28",
        &[(
            I::FdiProjects,
            "Bình Phước",
            P::AsOf(2020),
            320.0,
            U::Count,
            Q::Exact,
        )],
    );
}

#[test]
fn a_part_of_a_year_keeps_its_year() {
    exactly(
        "Trong quý 3 năm nay, kiều hối về Cần Thơ đạt 40 triệu USD.",
        "2021-10-10",
        &[],
    );
}

#[test]
fn averages_over_years_are_left_out() {
    exactly(
        "Giai đoạn 2016 - 2019, trung bình mỗi năm tỉnh Khánh Hòa đón 120 đoàn khách quốc tế.",
        "2020-01-10",
        &[],
    );
}

#[test]
fn the_capital_of_a_stock_is_a_stock() {
    exactly(
        "Hiện toàn tỉnh Tây Ninh có 300 dự án FDI còn hiệu lực, với tổng vốn đăng ký trên 8 tỷ USD.",
        "2022-05-01",
        &[
            (
                I::FdiProjects,
                "Tây Ninh",
                P::AsOf(2022),
                300.0,
                U::Count,
                Q::Exact,
            ),
            (
                I::FdiCapitalRegistered,
                "Tây Ninh",
                P::AsOf(2022),
                8e9,
                U::Usd,
                Q::Over,
            ),
        ],
    );
}

#[test]
fn ever_is_not_a_period() {
    // "từ trước tới nay" (ever) does not make the year's flow a stock.
    exactly(
        "Năm 2024, viện trợ phi chính phủ cho tỉnh Kon Tum đạt mức cao nhất từ trước tới nay. Tỉnh đã tiếp nhận 25 dự án viện trợ phi chính phủ nước ngoài.",
        "2024-12-20",
        &[(
            I::NgoAidPrograms,
            "Kon Tum",
            P::Year(2024),
            25.0,
            U::Count,
            Q::Exact,
        )],
    );
}

// ------------------------------------------------------------ what

#[test]
fn the_head_noun_after_an_amount_names_it() {
    exactly(
        "Năm 2021, tỉnh Hà Nam đã thu hút 5.000 tỷ đồng vốn đầu tư trong nước và 410 triệu USD vốn đầu tư nước ngoài.",
        "2022-01-05",
        &[(
            I::FdiCapitalRegistered,
            "Hà Nam",
            P::Year(2021),
            410e6,
            U::Usd,
            Q::Exact,
        )],
    );
    exactly(
        "Năm 2017, tỉnh Sóc Trăng tiếp nhận 12 triệu USD viện trợ.",
        "2018-01-05",
        &[(
            I::NgoAidAmount,
            "Sóc Trăng",
            P::Year(2017),
            12e6,
            U::Usd,
            Q::Exact,
        )],
    );
}

#[test]
fn projections_for_the_reports_year_are_about_and_missed_forecasts_left_out() {
    exactly(
        "Dự kiến cả năm 2023, kiều hối về Hải Phòng sẽ đạt 1,2 tỷ USD.",
        "2023-11-01",
        &[(
            I::Remittances,
            "Hải Phòng",
            P::Year(2023),
            1.2e9,
            U::Usd,
            Q::About,
        )],
    );
    exactly(
        "Đầu năm 2023, ngân hàng từng dự báo kiều hối về Hải Phòng sẽ đạt 2 tỷ USD, nhưng thực tế không đạt.",
        "2023-12-30",
        &[],
    );
    // A plan for a later year is not a result.
    exactly(
        "Tỉnh Hải Dương dự kiến năm 2026 sẽ thu hút 1 tỷ USD vốn FDI.",
        "2025-12-01",
        &[],
    );
}

#[test]
fn an_estimate_is_about_for_the_figure_it_introduces() {
    exactly(
        "Theo ước tính, năm 2022 kiều hối về Việt Nam đạt 19 tỷ USD, cao hơn so với mức 18 tỷ USD của năm 2021.",
        "2023-01-15",
        &[
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2022),
                19e9,
                U::Usd,
                Q::About,
            ),
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2021),
                18e9,
                U::Usd,
                Q::Exact,
            ),
        ],
    );
}

#[test]
fn a_range_is_one_figure_at_its_first_number() {
    exactly(
        "Năm 2019, kiều hối về Bình Dương đạt khoảng 1,1 - 1,2 tỷ USD.",
        "2020-01-15",
        &[(
            I::Remittances,
            "Bình Dương",
            P::Year(2019),
            1.1e9,
            U::Usd,
            Q::About,
        )],
    );
}

#[test]
fn vuot_is_over_and_cao_hon_is_a_change() {
    let f = extract(
        "Năm 2022, vốn ODA giải ngân của tỉnh Quảng Bình đạt 80 triệu USD, cao hơn 12% so với năm 2021.",
        d("2023-02-01"),
    );
    assert_eq!(f.observations.len(), 1, "{}", show(&f));
    assert_eq!(f.observations[0].change_pct, Some(12.0));
}

#[test]
fn parts_after_trong_do_are_left_out_whatever_they_are_called() {
    exactly(
        "Năm 2015, tổng vốn ODA ký kết của tỉnh Hà Giang đạt 60 triệu USD; trong số đó có 45 triệu USD vốn vay và 15 triệu USD viện trợ không hoàn lại.",
        "2016-02-01",
        &[(
            I::OdaCapital,
            "Hà Giang",
            P::Year(2015),
            60e6,
            U::Usd,
            Q::Exact,
        )],
    );
}

#[test]
fn additive_connectives_join_sets_not_parts() {
    exactly(
        "Năm 2024, tỉnh Bến Tre đã triển khai 10 dự án viện trợ phi chính phủ, đồng thời vận động thêm 6 dự án mới.",
        "2024-12-15",
        &[
            (
                I::NgoAidPrograms,
                "Bến Tre",
                P::Year(2024),
                10.0,
                U::Count,
                Q::Exact,
            ),
            (
                I::NgoAidPrograms,
                "Bến Tre",
                P::Year(2024),
                6.0,
                U::Count,
                Q::Exact,
            ),
        ],
    );
}

#[test]
fn a_headline_restatement_is_recorded_once_at_the_body() {
    exactly(
        "Kiều hối về Đồng Nai năm nay có thể lên tới 1 tỷ USD\n\nNgân hàng cho biết cả năm kiều hối về Đồng Nai sẽ đạt khoảng 1 tỷ USD.",
        "2021-10-01",
        &[(
            I::Remittances,
            "Đồng Nai",
            P::Year(2021),
            1e9,
            U::Usd,
            Q::About,
        )],
    );
}

#[test]
fn adjusted_licences_are_not_projects() {
    exactly(
        "Năm 2023, tỉnh Vĩnh Phúc cấp mới 40 dự án FDI và cấp điều chỉnh cho 25 dự án.",
        "2024-01-05",
        &[(
            I::FdiProjects,
            "Vĩnh Phúc",
            P::Year(2023),
            40.0,
            U::Count,
            Q::Exact,
        )],
    );
}

// ------------------------------------------------------------ partnerships

fn partners(text: &str) -> Vec<(String, K)> {
    extract(text, d("2024-01-01"))
        .partnerships
        .into_iter()
        .map(|p| (p.partner, p.kind))
        .collect()
}

#[test]
fn a_party_named_before_the_signing_signs() {
    let p = partners(
        "Ngày 5/3/2023, tại thành phố Gimhae (Hàn Quốc), lãnh đạo tỉnh Ninh Bình và Thị trưởng thành phố Gimhae đã ký Bản ghi nhớ hợp tác.",
    );
    assert_eq!(p, vec![("Gimhae".to_string(), K::Agreement)]);
    let p = partners(
        "Tỉnh Attapeu (Lào) và tỉnh Kon Tum đã tổ chức lễ ký Biên bản hợp tác giai đoạn 2023 - 2025.",
    );
    assert_eq!(p, vec![("Attapeu".to_string(), K::Agreement)]);
}

#[test]
fn one_relation_per_partner_at_its_strongest() {
    let p = partners(
        "Tỉnh Gia Lai thúc đẩy hợp tác với tỉnh Ratanakiri (Campuchia). Hai tỉnh Gia Lai và Ratanakiri (Campuchia) đã ký kết thỏa thuận hợp tác.",
    );
    assert_eq!(p, vec![("Ratanakiri".to_string(), K::Agreement)]);
}

#[test]
fn a_donor_funding_a_project_is_a_cooperation_and_donors_in_general_are_not() {
    let p = partners("Tỉnh Trà Vinh khánh thành trường học do Quỹ Hy vọng Tương lai (Úc) tài trợ.");
    assert_eq!(
        p,
        vec![("Quỹ Hy vọng Tương lai".to_string(), K::Cooperation)]
    );
    let p = partners("Cả nước làm việc với các nhà tài trợ như WB, ADB, JICA về vốn ODA.");
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn districts_of_a_partner_paired_in_a_list() {
    let p = partners(
        "Tỉnh Hà Giang và tỉnh Vân Nam đã hình thành 2 cặp quan hệ hữu nghị: huyện Đồng Văn với huyện Ma Lật Pha; huyện Yên Minh với huyện Phú Ninh.",
    );
    let names: Vec<&str> = p.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"Ma Lật Pha") && names.contains(&"Phú Ninh"),
        "{p:?}"
    );
    assert!(
        !names.contains(&"Đồng Văn") && !names.contains(&"Yên Minh"),
        "{p:?}"
    );
}

// ------------------------------------------------------------ review aids

#[test]
fn every_fact_has_a_confidence_and_its_words_and_unplaced_figures_are_kept() {
    let f = extract(
        "Báo cáo của tỉnh Phú Yên.\n\nNăm 2022, tỉnh Phú Yên đã đón 30 đoàn khách nước ngoài. Tại hội nghị ở Hà Nội, tỉnh cho biết có 5 dự án. Trong quý I, kim ngạch xuất khẩu đạt 50 triệu USD. Tỉnh còn nhận 2 triệu USD.",
        d("2023-01-10"),
    );
    assert_eq!(f.observations.len(), 1, "{}", show(&f));
    let o = &f.observations[0];
    assert!(o.confidence > 0.5 && o.confidence <= 1.0);
    assert!(o.why.vi.contains("30 đoàn") && !o.why.en.is_empty());
    // The quarter's exports and the unattributed money are kept for review.
    let reasons: Vec<&str> = f.unplaced.iter().map(|u| u.reason.as_str()).collect();
    assert!(reasons.contains(&"part_of_year"), "{reasons:?}");
    assert!(reasons.contains(&"no_indicator"), "{reasons:?}");
    // The review order puts the least sure first.
    assert_eq!(f.observations_by_confidence(), vec![0]);
    // A venue lowers confidence and says so.
    let g = extract(
        "Tại hội nghị ở Hà Nội, tỉnh Phú Yên cho biết năm 2022 đã đón 30 đoàn khách nước ngoài.",
        d("2023-01-10"),
    );
    assert_eq!(g.observations.len(), 1);
    assert!(
        g.observations[0].why.vi.contains("nơi họp"),
        "{:?}",
        g.observations[0].why
    );
    assert!(g.observations[0].confidence < o.confidence);
    // The extra keys are ignored by the scorer: the JSON still parses as the spec's.
    let json = ngoaivu_extract::to_json(&f);
    let back: Facts = serde_json::from_str(&json).unwrap();
    assert_eq!(back.observations.len(), 1);
}

#[test]
fn a_foreign_firm_in_a_memorandum_is_a_partner_and_a_domestic_one_is_not() {
    let p = partners(
        "UBND tỉnh Long An trao Bản ghi nhớ hợp tác đầu tư giữa UBND tỉnh Long An và Tập đoàn Sunrise Harbor Holdings về dự án cảng biển; cùng Bản ghi nhớ giữa UBND tỉnh Long An và Công ty cổ phần Xây dựng Miền Nam.",
    );
    assert_eq!(
        p,
        vec![("Tập đoàn Sunrise Harbor Holdings".to_string(), K::Agreement)]
    );
}

#[test]
fn places_on_a_route_are_not_partners() {
    let p = partners(
        "Hai tỉnh hợp tác phát triển tuyến hành lang kinh tế Nam Ninh (Trung Quốc) - Lạng Sơn - Hà Nội.",
    );
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn a_time_of_its_own_clause_keeps_a_restated_measure() {
    exactly(
        "Năm 2020, kiều hối về Việt Nam là 17 tỷ USD; trong năm nay, con số này là 18 tỷ USD.",
        "2021-12-20",
        &[
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2020),
                17e9,
                U::Usd,
                Q::Exact,
            ),
            (
                I::Remittances,
                "Việt Nam",
                P::Year(2021),
                18e9,
                U::Usd,
                Q::Exact,
            ),
        ],
    );
}
