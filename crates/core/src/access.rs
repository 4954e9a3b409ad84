//! Who may see and change what. The store applies this policy to every query
//! (see `ARCHITECTURE.md`, "Isolation"); handlers never filter by themselves.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Editor,
    Approver,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::Approver, Role::Admin];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// Editors, approvers and admins change records; viewers only read.
    pub fn can_write(self) -> bool {
        self >= Role::Editor
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// One of the 34 provincial units.
    Province,
    /// The Ministry of Foreign Affairs (Bộ Ngoại giao).
    Ministry,
    /// A Vietnamese mission abroad (embassy or consulate-general).
    Mission,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Province => "province",
            OrgKind::Ministry => "ministry",
            OrgKind::Mission => "mission",
        }
    }
    pub fn parse(s: &str) -> Option<OrgKind> {
        [OrgKind::Province, OrgKind::Ministry, OrgKind::Mission]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The authenticated caller, as the store sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub org_id: i64,
    pub org_slug: String,
    pub org_kind: OrgKind,
    pub role: Role,
    /// Granted consular work: reads and writes consular cases, whose
    /// personal data no one else sees (`Actor::scope_of`).
    pub consular: bool,
}

/// Which organisations' records a caller may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The Ministry: every organisation.
    All,
    /// A province: its own organisation only.
    Org(i64),
    /// A mission: no provincial records (requests and notes addressed to it
    /// come with the coordination channel).
    Nothing,
}

impl Actor {
    /// Which organisations' records of type `rt` this caller may read: its
    /// read scope, except that a restricted type (consular cases, personal
    /// data) is out of reach without the consular grant, whatever the role.
    /// Every record read of the store goes through here, so a hidden case
    /// answers as a missing one (404) and appears in no list.
    pub fn scope_of(&self, rt: crate::RecordType) -> Scope {
        if rt.restricted() && !self.consular && !self.is_system() {
            return Scope::Nothing;
        }
        self.read_scope()
    }

    pub fn read_scope(&self) -> Scope {
        match self.org_kind {
            OrgKind::Ministry => Scope::All,
            OrgKind::Province => Scope::Org(self.org_id),
            OrgKind::Mission => Scope::Nothing,
        }
    }

    /// May this caller create or change records of organisation `org_id`
    /// (which must be a province or the Ministry)?
    pub fn may_write_org(&self, org_id: i64) -> Result<(), Denied> {
        if !self.role.can_write() {
            return Err(Denied::ReadOnlyRole);
        }
        // The Ministry reads every province's records and writes only its
        // own: a province's record is corrected by the province (the
        // Ministry asks it to). The operator's own loads (`system`) write
        // where their data belongs.
        if self.is_system() {
            return Ok(());
        }
        match self.org_kind {
            OrgKind::Ministry if self.org_id == org_id => Ok(()),
            OrgKind::Ministry => Err(Denied::OtherOrg),
            OrgKind::Province if self.org_id == org_id => Ok(()),
            OrgKind::Province => Err(Denied::OtherOrg),
            OrgKind::Mission => Err(Denied::MissionRecords),
        }
    }

    pub fn is_admin_of(&self, org_id: i64) -> bool {
        self.role == Role::Admin && (self.org_id == org_id || self.org_kind == OrgKind::Ministry)
    }

    /// Whether this is [`Actor::system`]: the operator's own loads (the
    /// demo, `gen`), which enter history as their sources give it.
    pub fn is_system(&self) -> bool {
        self.user_id == 0 && self.org_id == 0 && self.username == "system"
    }

    /// A system actor for loading the demo and synthetic data.
    pub fn system() -> Actor {
        Actor {
            user_id: 0,
            username: "system".into(),
            org_id: 0,
            org_slug: "system".into(),
            org_kind: OrgKind::Ministry,
            role: Role::Admin,
            consular: true,
        }
    }
}

impl Scope {
    pub fn allows(&self, org_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Org(id) => *id == org_id,
            Scope::Nothing => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    ReadOnlyRole,
    OtherOrg,
    MissionRecords,
    NotAdmin,
    /// A restricted record type (consular cases) without the grant.
    Restricted,
    /// A refusal of the province–mission channel (`crate::channel`).
    Channel(crate::channel::Refusal),
    /// A workflow step refused, with the reason.
    Transition(crate::workflow::Refusal),
}

impl Denied {
    pub fn message(self, lang: crate::Lang) -> &'static str {
        match self {
            Denied::ReadOnlyRole => lang.pick(
                "Tài khoản chỉ có quyền xem, không được thay đổi dữ liệu.",
                "This account may only read, not change records.",
            ),
            Denied::OtherOrg => lang.pick(
                "Không được ghi dữ liệu cho cơ quan khác.",
                "You may not write records for another organisation.",
            ),
            Denied::MissionRecords => lang.pick(
                "Tài khoản của cơ quan đại diện không tạo hồ sơ của địa phương.",
                "Mission accounts do not keep provincial records.",
            ),
            Denied::NotAdmin => lang.pick(
                "Chỉ quản trị viên được làm việc này.",
                "Only an administrator may do this.",
            ),
            Denied::Restricted => lang.pick(
                "Hồ sơ lãnh sự, bảo hộ công dân chỉ dành cho người được giao công tác lãnh sự.",
                "Consular cases are only for users granted consular work.",
            ),
            Denied::Channel(r) => r.message(lang),
            Denied::Transition(r) => r.message(lang),
        }
    }
}
