use crate::common::*;
use ngoaivu_iati::import;
use serde_json::json;

/// A file from another publisher (a German NGO and others), written by
/// hand the way IATI publishers write: no ngoaivu extension, names instead
/// of our location refs, yearly budgets, several sectors.
const FOREIGN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- another publisher's file -->
<iati-activities version="2.02" generated-datetime="2026-06-01T00:00:00Z">
 <iati-activity default-currency="EUR" last-updated-datetime="2026-05-30T10:00:00Z">
  <iati-identifier>DE-CR-12345-VN-001</iati-identifier>
  <reporting-org ref="DE-CR-12345" type="21"><narrative>Welthungerhilfe</narrative></reporting-org>
  <title><narrative>Food security for Ede communities</narrative><narrative xml:lang="vi">An ninh lương thực cho cộng đồng Ê Đê</narrative></title>
  <description><narrative>Livelihoods.</narrative></description>
  <participating-org role="1" type="21" ref="DE-CR-12345"><narrative>Welthungerhilfe</narrative></participating-org>
  <participating-org role="4" type="24"><narrative>Hội Phụ nữ tỉnh Đắk Lắk</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
  <activity-date type="2" iso-date="2024-02-15"/>
  <activity-date type="3" iso-date="2026-12-31"/>
  <recipient-country code="VN" percentage="100"/>
  <location>
   <name><narrative>Dak Lak Province</narrative></name>
   <description><narrative>Buon Don district</narrative></description>
   <administrative vocabulary="G1" level="1" code="1580578"/>
  </location>
  <sector vocabulary="1" code="15250" percentage="40"/>
  <sector vocabulary="1" code="31120" percentage="60"/>
  <budget type="1" status="2"><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/><value value-date="2024-01-01">200000</value></budget>
  <budget type="1" status="2"><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/><value value-date="2025-01-01">250000.50</value></budget>
  <budget type="2" status="2"><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/><value value-date="2025-06-01">999999</value></budget>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-03-01"/><value value-date="2024-03-01">120000</value></transaction>
  <transaction><transaction-type code="4"/><transaction-date iso-date="2024-04-01"/><value value-date="2024-04-01">5000</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2025-03-01"/><value currency="EUR" value-date="2025-03-01">80000</value></transaction>
 </iati-activity>
 <iati-activity>
  <iati-identifier>DE-CR-12345-VN-002</iati-identifier>
  <reporting-org ref="DE-CR-12345" type="21"><narrative>Welthungerhilfe</narrative></reporting-org>
  <title><narrative>Schools in Quang Nam</narrative></title>
  <participating-org role="1" type="21"><narrative>Welthungerhilfe</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
  <recipient-country code="VN"/>
  <location><name><narrative>Quảng Nam</narrative></name></location>
 </iati-activity>
 <iati-activity>
  <iati-identifier>DE-CR-12345-KH-003</iati-identifier>
  <reporting-org ref="DE-CR-12345" type="21"><narrative>Welthungerhilfe</narrative></reporting-org>
  <title><narrative>Water in Mondulkiri</narrative></title>
  <participating-org role="1" type="21"><narrative>Welthungerhilfe</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
  <recipient-country code="KH"/>
  <location><name><narrative>Dak Lak</narrative></name></location>
 </iati-activity>
 <iati-activity>
  <iati-identifier>XI-IATI-EXAMPLE-004</iati-identifier>
  <reporting-org ref="XI-IATI-EXAMPLE" type="70"><narrative>Coffee Trading Ltd</narrative></reporting-org>
  <title><narrative>Coffee processing plant</narrative></title>
  <participating-org role="1" type="71"><narrative>Coffee Trading Ltd</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
  <recipient-country code="VN"/>
  <location><name><narrative xml:lang="vi">Tỉnh Đắk Lắk</narrative></name></location>
 </iati-activity>
 <iati-activity xml:lang="en">
  <iati-identifier>XM-DAC-701-8-VN-2023-05</iati-identifier>
  <reporting-org ref="XM-DAC-701-8" type="10"><narrative>Japan International Cooperation Agency</narrative></reporting-org>
  <title><narrative>Phu Yen coastal road</narrative></title>
  <participating-org role="1" type="10" ref="XM-DAC-701-8"><narrative>JICA</narrative></participating-org>
  <activity-status code="1"/>
  <activity-date type="1" iso-date="2026-01-01"/>
  <activity-date type="3" iso-date="2029-12-31"/>
  <recipient-country code="VN"/>
  <location><name><narrative xml:lang="vi">Tỉnh Phú Yên</narrative></name></location>
  <sector vocabulary="2" code="210"/>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2025-08-20"/><value currency="JPY" value-date="2025-08-20">3000000000</value></transaction>
 </iati-activity>
 <iati-activity default-currency="CHF">
  <iati-identifier>CH-FDJP-99</iati-identifier>
  <reporting-org ref="CH-FDJP-99" type="21"><narrative>Swiss NGO</narrative></reporting-org>
  <title><narrative>Clean water in Ea Sup</narrative></title>
  <participating-org role="1" type="21" ref="CH-FDJP-99"><narrative>Swiss NGO</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2025-01-01"/>
  <recipient-country code="VN"/>
  <location><name><narrative>Đắk Lắk</narrative></name></location>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2025-05-01"/>
   <value value-date="2025-05-01">1000</value></transaction>
 </iati-activity>
</iati-activities>
"#;

#[test]
fn another_publishers_file() {
    let out = import(FOREIGN.as_bytes(), &slugs("dak-lak")).unwrap();

    // The NGO's activity in Đắk Lắk.
    assert_eq!(out.activities.len(), 2, "{out:?}");
    let a = &out.activities[0];
    assert_eq!(a.iati_identifier, "DE-CR-12345-VN-001");
    assert_eq!(a.line, 4);
    assert_eq!(a.donor_name.as_deref(), Some("Welthungerhilfe"));
    assert_eq!(a.donor_country.as_deref(), Some("DE"));
    assert_eq!(
        a.body,
        json!({
            "kind": "ngo_aid",
            "name": "An ninh lương thực cho cộng đồng Ê Đê",
            "country": "DE",
            // 31120 has the larger share; 15250 has no ngoaivu sector.
            "sector": "agriculture",
            // The original budgets summed (the revised one is not added).
            "capital": {"amount": "450000.5", "currency": "EUR"},
            "disbursed": {"amount": "200000", "currency": "EUR"},
            // The actual start wins over the planned one.
            "period_from": "2024-02-15",
            "period_until": "2026-12-31",
            "status": "active",
            // The donor's disbursements (type 3): actual, foreign funds.
            "transactions": [
                {"kind": "disbursement", "stage": "actual", "source": "foreign",
                 "on": "2024-03-01", "amount": {"amount": "120000", "currency": "EUR"}},
                {"kind": "disbursement", "stage": "actual", "source": "foreign",
                 "on": "2025-03-01", "amount": {"amount": "80000", "currency": "EUR"}}
            ],
            "location": "Buon Don district",
            "locality": "dak-lak",
            "notes": "IATI: DE-CR-12345-VN-001"
        })
    );
    prepared(&a.body, "dak-lak");

    // JICA's road in Phú Yên, a former unit now part of Đắk Lắk: status 1
    // with a commitment is an approved project, the commitment its capital
    // and approval date. XM-DAC refs name no country.
    let j = &out.activities[1];
    assert_eq!(j.iati_identifier, "XM-DAC-701-8-VN-2023-05");
    assert_eq!(j.donor_country, None);
    assert_eq!(
        j.body,
        json!({
            "kind": "oda",
            "name": "Phu Yen coastal road",
            "capital": {"amount": "3000000000", "currency": "JPY"},
            "approved_on": "2025-08-20",
            "period_from": "2026-01-01",
            "period_until": "2029-12-31",
            "status": "approved",
            "locality": "phu-yen",
            "notes": "IATI: XM-DAC-701-8-VN-2023-05"
        })
    );
    prepared(&j.body, "dak-lak");

    // The others, each with its reason.
    let skipped: Vec<_> = out
        .skipped
        .iter()
        .map(|s| (s.iati_identifier.as_str(), s.code))
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("DE-CR-12345-VN-002", "not_in_province"),
            ("DE-CR-12345-KH-003", "not_vietnam"),
            ("XI-IATI-EXAMPLE-004", "not_aid"),
        ]
    );
    let s = &out.skipped[0];
    assert_eq!(
        s.vi,
        "Hoạt động không có địa điểm thuộc tỉnh, thành phố nhập dữ liệu."
    );
    assert_eq!(s.line, 30);

    // An amount in a currency ngoaivu does not keep: an error with its line.
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    let e = &out.errors[0];
    assert_eq!(e.code, "currency");
    assert_eq!(e.line, Some(83));
    assert!(
        e.vi.contains("CH-FDJP-99") && e.vi.contains("loại tiền CHF chưa được hỗ trợ"),
        "{}",
        e.vi
    );
    assert!(e.en.contains("currency CHF is not supported"), "{}", e.en);
}

#[test]
fn the_same_file_for_da_nang_takes_quang_nam() {
    let out = import(FOREIGN.as_bytes(), &slugs("da-nang")).unwrap();
    let ids: Vec<_> = out
        .activities
        .iter()
        .map(|a| a.iati_identifier.as_str())
        .collect();
    assert_eq!(ids, vec!["DE-CR-12345-VN-002"]);
    assert_eq!(out.activities[0].body["locality"], "quang-nam");
    assert_eq!(out.activities[0].body["kind"], "ngo_aid");
    prepared(&out.activities[0].body, "da-nang");
}
