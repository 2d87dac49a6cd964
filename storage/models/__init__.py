"""The ORM models; importing this module registers every table on ``Base.metadata``."""

from newsdedup.storage.models.articles import (
    ArticleAliasRow,
    ArticleRevisionRow,
    ArticleRow,
    ChangeCounterRow,
    ClusterRow,
    IdentityConflictRow,
    ParagraphRow,
)
from newsdedup.storage.models.base import Base, BigId, Json, UTCDateTime
from newsdedup.storage.models.crawl import (
    CrawlRunRow,
    PageRow,
    SourceLockRow,
    SourceRow,
    UrlStateRow,
)
from newsdedup.storage.models.dedup import (
    ArticleSignatureRow,
    DedupSchemeRow,
    LshBandRow,
    ParagraphBandRow,
    ParagraphGroupRow,
)

__all__ = [
    "ArticleAliasRow",
    "ArticleRevisionRow",
    "ArticleRow",
    "ArticleSignatureRow",
    "Base",
    "BigId",
    "ChangeCounterRow",
    "ClusterRow",
    "CrawlRunRow",
    "DedupSchemeRow",
    "IdentityConflictRow",
    "Json",
    "LshBandRow",
    "PageRow",
    "ParagraphBandRow",
    "ParagraphGroupRow",
    "ParagraphRow",
    "SourceLockRow",
    "SourceRow",
    "UTCDateTime",
    "UrlStateRow",
]
