//! The lists wxpick can page through: one static row per Webex "available numbers" list.
//!
//! A row holds everything that differs between the lists: where the list lives, which ID goes in
//! the path, which query parameters the API takes, the scope it needs and what a 403 or 404 means
//! there. Adding a list is adding a row (and, for `--demo`, its demo data).

/// The Webex object whose ID goes in a list's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathId {
    Location,
    Person,
    Workspace,
    VirtualLine,
}

impl PathId {
    /// The placeholder in a path template, e.g. `{locationId}`.
    pub fn placeholder(self) -> &'static str {
        match self {
            PathId::Location => "{locationId}",
            PathId::Person => "{personId}",
            PathId::Workspace => "{workspaceId}",
            PathId::VirtualLine => "{virtualLineId}",
        }
    }

    /// What the ID is, for messages: "location ID".
    pub fn what(self) -> &'static str {
        match self {
            PathId::Location => "location ID",
            PathId::Person => "person ID",
            PathId::Workspace => "workspace ID",
            PathId::VirtualLine => "virtual line ID",
        }
    }

    /// How the user gives it.
    pub fn how_to_give(self) -> &'static str {
        match self {
            PathId::Location => "give --location ID or set WEBEX_LOCATION_ID",
            PathId::Person => "give the person's ID",
            PathId::Workspace => "give the workspace's ID",
            PathId::VirtualLine => "give the virtual line's ID",
        }
    }
}

/// The query parameters every list takes, in the order wxpick sends them.
pub const COMMON_QUERY: [&str; 4] = ["orgId", "max", "start", "phoneNumber"];

/// One list of the Webex API: a row of [`ENDPOINTS`].
#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Short kebab-case name, e.g. `queue`.
    pub kind: &'static str,
    /// What the list is for, e.g. `call queue primary`.
    pub title: &'static str,
    /// The path under the base URL, with the ID's placeholder, e.g.
    /// `telephony/config/locations/{locationId}/queues/availableNumbers`.
    pub path: &'static str,
    /// The ID the path needs, if any.
    pub path_id: Option<PathId>,
    /// Whether the list takes the location as the query parameter `locationId` (lists that are not
    /// under a location's path).
    pub location_query: bool,
    /// Query parameters besides [`COMMON_QUERY`] and `locationId`, by their API names.
    pub extra_query: &'static [&'static str],
    /// The OAuth scope a token needs for this list.
    pub scope: &'static str,
    /// What a 403 means on this list, and what to do.
    pub hint_403: &'static str,
    /// What a 404 means on this list, and what to do.
    pub hint_404: &'static str,
    /// The key of the reply's JSON list, e.g. `phoneNumbers`.
    pub list_key: &'static str,
}

impl Endpoint {
    /// Every query parameter the list takes, in the order wxpick sends them.
    pub fn query_params(&self) -> Vec<&'static str> {
        let mut q = COMMON_QUERY.to_vec();
        if self.location_query {
            q.push("locationId");
        }
        q.extend_from_slice(self.extra_query);
        q
    }

    /// The path's segments (placeholders included), e.g. `["telephony", ..., "{locationId}", ...]`.
    pub fn segments(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('/').filter(|s| !s.is_empty())
    }
}

const READ_SCOPE: &str = "spark-admin:telephony_config_read";

/// The call queue's primary number: today's list.
pub static QUEUE: Endpoint = Endpoint {
    kind: "queue",
    title: "call queue primary",
    path: "telephony/config/locations/{locationId}/queues/availableNumbers",
    path_id: Some(PathId::Location),
    location_query: false,
    extra_query: &[],
    scope: READ_SCOPE,
    hint_403: "The token lacks the scope spark-admin:telephony_config_read, or you are not an administrator of this location (or of --org-id)",
    hint_404: "Unknown location: check --location (and --org-id for another organization)",
    list_key: "phoneNumbers",
};

/// Every list wxpick knows.
pub static ENDPOINTS: &[&Endpoint] = &[&QUEUE];

/// The row of the list named `kind`.
pub fn by_kind(kind: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().copied().find(|e| e.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_consistent() {
        let mut kinds = std::collections::HashSet::new();
        for e in ENDPOINTS {
            assert!(kinds.insert(e.kind), "{} twice", e.kind);
            assert!(e.kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{} is kebab-case", e.kind);
            let placeholders: Vec<_> = e.segments().filter(|s| s.starts_with('{')).collect();
            assert_eq!(placeholders, e.path_id.map(PathId::placeholder).into_iter().collect::<Vec<_>>(), "{}", e.kind);
            assert!(!(e.location_query && e.path_id == Some(PathId::Location)), "{}", e.kind);
            assert!(!e.hint_403.is_empty() && !e.hint_404.is_empty() && !e.scope.is_empty(), "{}", e.kind);
        }
        assert_eq!(by_kind("queue"), Some(&QUEUE));
        assert_eq!(by_kind("nothing"), None);
    }
}
