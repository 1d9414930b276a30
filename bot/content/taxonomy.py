"""The guidance library's fixed vocabulary: topic slugs, languages, countries, hotline kinds."""

from __future__ import annotations

# Copied from shared/taxonomy.json (a test keeps them equal): renaming a slug is a breaking change.
TOPIC_SLUGS: tuple[str, ...] = (
    "safe-migration",
    "legal-channels",
    "documents",
    "work-permit",
    "recruitment-fees",
    "trafficking-signs",
    "document-confiscation",
    "unpaid-wages",
    "working-hours",
    "abuse-violence",
    "forced-labour",
    "sexual-exploitation",
    "child-labour",
    "health-injury",
    "arrest-detention",
    "return-home",
    "missing-person",
    "emergency",
    "hotlines",
    "report",
    "education-training",
    "remittances",
    "citizenship",
    "shelter-support",
)

LANGUAGES: tuple[str, ...] = ("my", "km", "lo", "th", "vi", "zh", "en")

COUNTRIES: tuple[str, ...] = ("MM", "KH", "LA", "TH", "VN", "CN", "MY")

# Destination countries whose licensed-agency register the editors keep.
AGENCY_COUNTRIES: tuple[str, ...] = ("TH", "MY")

STATUSES: tuple[str, ...] = ("draft", "needs-review", "published")

# The reference's kinds, plus `health`, which no reference entry fits yet (kept defined but empty).
HOTLINE_KINDS: dict[str, str] = {
    "emergency": "Police, ambulance and fire",
    "anti-trafficking": "Reports of trafficking and forced labour",
    "labour": "Labour ministries and unions: wages, permits, complaints",
    "women": "Help for women facing violence or abuse",
    "child": "Child helplines and child protection",
    "ngo": "Non-governmental organisations that help migrants",
    "embassy": "Embassies, consulates and labour attaches",
    "io": "International organisations (IOM, ILO, UN)",
    "health": "Health advice and care lines",
}

# Languages whose menu titles get 20 characters rather than 30 (wide scripts on small screens).
SHORT_TITLE_LANGS: tuple[str, ...] = ("my", "km", "lo")
