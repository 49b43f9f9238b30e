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
            PathId::Person => "give --person ID",
            PathId::Workspace => "give --workspace ID",
            PathId::VirtualLine => "give --virtual-line ID",
        }
    }

    /// What the ID names, e.g. "virtual line".
    pub fn noun(self) -> &'static str {
        match self {
            PathId::Location => "location",
            PathId::Person => "person",
            PathId::Workspace => "workspace",
            PathId::VirtualLine => "virtual line",
        }
    }

    /// The flag that gives it, e.g. `--virtual-line`.
    pub fn flag(self) -> &'static str {
        match self {
            PathId::Location => "--location",
            PathId::Person => "--person",
            PathId::Workspace => "--workspace",
            PathId::VirtualLine => "--virtual-line",
        }
    }

    /// Its name as a query parameter, e.g. `locationId`.
    pub fn query_name(self) -> &'static str {
        match self {
            PathId::Location => "locationId",
            PathId::Person => "personId",
            PathId::Workspace => "workspaceId",
            PathId::VirtualLine => "virtualLineId",
        }
    }
}

/// The query parameters every list takes, in the order wxpick sends them.
pub const COMMON_QUERY: [&str; 4] = ["orgId", "max", "start", "phoneNumber"];

/// One list of the Webex API: a row of [`ENDPOINTS`].
#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Short kebab-case name, e.g. `queue`: the value of `--for`.
    pub kind: &'static str,
    /// What the list is for, e.g. `call queue primary`: the picker's header.
    pub title: &'static str,
    /// The path under the base URL, with the ID's placeholder, e.g.
    /// `telephony/config/locations/{locationId}/queues/availableNumbers`.
    pub path: &'static str,
    /// The ID the path needs, if any: required.
    pub path_id: Option<PathId>,
    /// IDs the list takes as query parameters (`locationId`, `personId`): optional.
    pub query_ids: &'static [PathId],
    /// Query parameters besides [`COMMON_QUERY`] and the IDs, by their API names.
    pub extra_query: &'static [&'static str],
    /// The OAuth scope a token needs for this list.
    pub scope: &'static str,
    /// The key of the reply's JSON list, e.g. `phoneNumbers`.
    pub list_key: &'static str,
}

impl Endpoint {
    /// Every query parameter the list takes, in the order wxpick sends them.
    pub fn query_params(&self) -> Vec<&'static str> {
        let mut q = COMMON_QUERY.to_vec();
        q.extend(self.query_ids.iter().map(|id| id.query_name()));
        q.extend_from_slice(self.extra_query);
        q
    }

    /// The path's segments (placeholders included), e.g. `["telephony", ..., "{locationId}", ...]`.
    pub fn segments(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('/').filter(|s| !s.is_empty())
    }

    /// Whether the list takes this ID, in its path or as a query parameter.
    pub fn takes(&self, id: PathId) -> bool {
        self.path_id == Some(id) || self.query_ids.contains(&id)
    }

    /// What a 403 means on this list, and what to do.
    pub fn hint_403(&self) -> String {
        if let Some(lookup) = super::owners::lookup_of(self) {
            return format!(
                "Listing {} needs a token with the scope {}; {} ID still works without it",
                self.title,
                self.scope,
                lookup.id.flag()
            );
        }
        let whose = match self.path_id {
            Some(PathId::Location) | None => "this location",
            Some(PathId::Person) => "this person's location",
            Some(PathId::Workspace) => "this workspace's location",
            Some(PathId::VirtualLine) => "this virtual line's location",
        };
        format!(
            "The {} list needs a token with the scope {} of a full, read-only or location administrator of {whose} (or of --org-id)",
            self.title, self.scope
        )
    }

    /// What a 404 means on this list, and what to do.
    pub fn hint_404(&self) -> String {
        match self.path_id {
            // Not "... not found": the server's message usually says that already.
            Some(id) => format!("Unknown {}: check {} (and --org-id for another organization)", id.noun(), id.flag()),
            // The IDs it takes as query parameters are what a 404 is most likely about.
            None if !self.query_ids.is_empty() => {
                let flags: Vec<&str> = self.query_ids.iter().map(|p| p.flag()).collect();
                format!("Not found: check {} (and --org-id for another organization)", flags.join(" and "))
            }
            None => format!("The {} list was not found: check --base-url", self.title),
        }
    }
}

const READ_SCOPE: &str = "spark-admin:telephony_config_read";

const fn row(
    kind: &'static str,
    title: &'static str,
    path: &'static str,
    path_id: Option<PathId>,
    query_ids: &'static [PathId],
    extra_query: &'static [&'static str],
) -> Endpoint {
    Endpoint { kind, title, path, path_id, query_ids, extra_query, scope: READ_SCOPE, list_key: "phoneNumbers" }
}

const LOC: Option<PathId> = Some(PathId::Location);
const PERSON: Option<PathId> = Some(PathId::Person);
const PLACE: Option<PathId> = Some(PathId::Workspace);
const LINE: Option<PathId> = Some(PathId::VirtualLine);
const OWNER: &[&str] = &["ownerName"];
const OWNER_EXT: &[&str] = &["ownerName", "extension"];

/// The call queue's primary number: the default list.
pub static QUEUE: Endpoint = row(
    "queue",
    "call queue primary",
    "telephony/config/locations/{locationId}/queues/availableNumbers",
    LOC,
    &[],
    &[],
);

/// The Webex Calling locations (`GET /telephony/config/locations`): not a list of numbers, but
/// paged and refused the same way. Not in [`ENDPOINTS`].
pub static LOCATIONS: Endpoint = Endpoint {
    kind: "locations",
    title: "locations",
    path: "telephony/config/locations",
    path_id: None,
    query_ids: &[],
    extra_query: &["name", "order"],
    scope: READ_SCOPE,
    list_key: "locations",
};

/// People (`GET /people`): a lookup, not a list of numbers. Paged by `Link` (the API takes
/// no `start`).
pub static PEOPLE: Endpoint = Endpoint {
    kind: "people",
    title: "people",
    path: "people",
    path_id: None,
    query_ids: &[PathId::Location],
    extra_query: &["displayName", "email"],
    scope: "spark-admin:people_read",
    list_key: "items",
};

/// Workspaces (`GET /workspaces`): a lookup.
pub static WORKSPACES: Endpoint = Endpoint {
    kind: "workspaces",
    title: "workspaces",
    path: "workspaces",
    path_id: None,
    query_ids: &[PathId::Location],
    extra_query: &["displayName"],
    scope: "spark-admin:workspaces_read",
    list_key: "items",
};

/// Virtual lines (`GET /telephony/config/virtualLines`): a lookup.
pub static VIRTUAL_LINES: Endpoint = Endpoint {
    kind: "virtual-lines",
    title: "virtual lines",
    path: "telephony/config/virtualLines",
    path_id: None,
    query_ids: &[PathId::Location],
    extra_query: &["ownerName"],
    scope: READ_SCOPE,
    list_key: "virtualLines",
};

/// Every list of numbers wxpick knows, in the order `--for list` prints them: the 36 lists of
/// available numbers, then the inventory.
#[rustfmt::skip]
pub static ENDPOINTS: &[&Endpoint] = &[
    &QUEUE,
    &row("queue-alternate", "call queue alternate", "telephony/config/locations/{locationId}/queues/alternate/availableNumbers", LOC, &[], &[]),
    &row("queue-forward", "call queue call forwarding", "telephony/config/locations/{locationId}/queues/callForwarding/availableNumbers", LOC, &[], OWNER_EXT),
    &row("hunt-group", "hunt group primary", "telephony/config/locations/{locationId}/huntGroups/availableNumbers", LOC, &[], &[]),
    &row("hunt-group-alternate", "hunt group alternate", "telephony/config/locations/{locationId}/huntGroups/alternate/availableNumbers", LOC, &[], &[]),
    &row("hunt-group-forward", "hunt group call forwarding", "telephony/config/locations/{locationId}/huntGroups/callForwarding/availableNumbers", LOC, &[], OWNER_EXT),
    &row("auto-attendant", "auto attendant primary", "telephony/config/locations/{locationId}/autoAttendants/availableNumbers", LOC, &[], &[]),
    &row("auto-attendant-alternate", "auto attendant alternate", "telephony/config/locations/{locationId}/autoAttendants/alternate/availableNumbers", LOC, &[], &[]),
    &row("auto-attendant-forward", "auto attendant call forwarding", "telephony/config/locations/{locationId}/autoAttendants/callForwarding/availableNumbers", LOC, &[], OWNER_EXT),
    &row("paging-group", "paging group primary", "telephony/config/locations/{locationId}/paging/availableNumbers", LOC, &[], &[]),
    &row("single-number-reach", "single number reach", "telephony/config/locations/{locationId}/singleNumberReach/availableNumbers", LOC, &[], &[]),
    &row("voice-portal", "voice portal", "telephony/config/locations/{locationId}/voicePortal/availableNumbers", LOC, &[], &[]),
    &row("voicemail-group", "voicemail group", "telephony/config/locations/{locationId}/voicemailGroups/availableNumbers", LOC, &[], &[]),
    &row("voicemail-group-fax", "voicemail group fax", "telephony/config/locations/{locationId}/voicemailGroups/faxMessage/availableNumbers", LOC, &[], &[]),
    &row("location-main", "location main number", "telephony/config/locations/{locationId}/availableNumbers", LOC, &[], OWNER),
    &row("location-ecbn", "location emergency callback", "telephony/config/locations/{locationId}/emergencyCallbackNumber/availableNumbers", LOC, &[], OWNER),
    &row("location-intercept", "location call intercept", "telephony/config/locations/{locationId}/callIntercept/availableNumbers", LOC, &[], OWNER_EXT),
    &row("location-caller-id", "external caller ID", "telephony/config/locations/{locationId}/externalCallerId/availableNumbers", LOC, &[PathId::Person], OWNER),
    &row("location-webex-go", "Webex Go", "telephony/config/locations/{locationId}/webexGo/availableNumbers", LOC, &[], &[]),
    &row("person-primary", "new person primary", "telephony/config/people/primary/availableNumbers", None, &[PathId::Location], &["licenseType"]),
    &row("person-forward", "person call forwarding", "telephony/config/people/{personId}/callForwarding/availableNumbers", PERSON, &[], OWNER_EXT),
    &row("person-intercept", "person call intercept", "telephony/config/people/{personId}/callIntercept/availableNumbers", PERSON, &[], OWNER_EXT),
    &row("person-ecbn", "person emergency callback", "telephony/config/people/{personId}/emergencyCallbackNumber/availableNumbers", PERSON, &[], OWNER),
    &row("person-fax", "person fax message", "telephony/config/people/{personId}/faxMessage/availableNumbers", PERSON, &[], &[]),
    &row("person-secondary", "person secondary", "telephony/config/people/{personId}/secondary/availableNumbers", PERSON, &[], &[]),
    &row("workspace-primary", "new workspace primary", "telephony/config/workspaces/availableNumbers", None, &[PathId::Location], &[]),
    &row("workspace-forward", "workspace call forwarding", "telephony/config/workspaces/{workspaceId}/callForwarding/availableNumbers", PLACE, &[], OWNER_EXT),
    &row("workspace-intercept", "workspace call intercept", "telephony/config/workspaces/{workspaceId}/callIntercept/availableNumbers", PLACE, &[], OWNER_EXT),
    &row("workspace-ecbn", "workspace emergency callback", "telephony/config/workspaces/{workspaceId}/emergencyCallbackNumber/availableNumbers", PLACE, &[], OWNER),
    &row("workspace-fax", "workspace fax message", "telephony/config/workspaces/{workspaceId}/faxMessage/availableNumbers", PLACE, &[], &[]),
    &row("workspace-secondary", "workspace secondary", "telephony/config/workspaces/{workspaceId}/secondary/availableNumbers", PLACE, &[], &[]),
    &row("virtual-line-primary", "new virtual line primary", "telephony/config/virtualLines/availableNumbers", None, &[PathId::Location], &[]),
    &row("virtual-line-forward", "virtual line call forwarding", "telephony/config/virtualLines/{virtualLineId}/callForwarding/availableNumbers", LINE, &[], OWNER_EXT),
    &row("virtual-line-intercept", "virtual line call intercept", "telephony/config/virtualLines/{virtualLineId}/callIntercept/availableNumbers", LINE, &[], OWNER_EXT),
    &row("virtual-line-ecbn", "virtual line emergency callback", "telephony/config/virtualLines/{virtualLineId}/emergencyCallbackNumber/availableNumbers", LINE, &[], OWNER),
    &row("virtual-line-fax", "virtual line fax message", "telephony/config/virtualLines/{virtualLineId}/faxMessage/availableNumbers", LINE, &[], &[]),
    &INVENTORY,
];

/// The organization's number inventory (`GET /telephony/config/numbers`): every number, free or
/// assigned, of every location or of one (`locationId`), with its location, owner and extension.
/// Not a list of available numbers, but read, paged and refused like one.
pub static INVENTORY: Endpoint = row(
    "numbers",
    "number inventory",
    "telephony/config/numbers",
    None,
    &[PathId::Location],
    &["available", "state", "ownerName", "ownerType", "extension", "numberType", "tollFreeNumbers"],
);

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
            assert!(e.path_id.is_none_or(|p| !e.query_ids.contains(&p)), "{}", e.kind);
            assert!(!e.scope.is_empty() && !e.title.is_empty(), "{}", e.kind);
            assert!(e.path.ends_with("/availableNumbers") || std::ptr::eq(*e, &INVENTORY), "{}", e.kind);
        }
        assert_eq!(by_kind("queue"), Some(&QUEUE));
        // A 404 names what is most likely unknown: the path's ID, else the query's.
        assert!(by_kind("person-fax").unwrap().hint_404().starts_with("Unknown person: check --person"));
        assert!(by_kind("person-primary").unwrap().hint_404().contains("check --location"));
        assert!(QUEUE.hint_403().contains("call queue primary") && QUEUE.hint_403().contains(READ_SCOPE));
        assert_eq!(ENDPOINTS.len(), 37, "31 lists of the API description, 5 of its README, the inventory");
        assert_eq!(by_kind("numbers"), Some(&INVENTORY));
        assert_eq!(by_kind("nothing"), None);
    }
}
