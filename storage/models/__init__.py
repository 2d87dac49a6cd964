"""The ORM models; importing this module registers every table on ``Base.metadata``."""

from storage.models.articles import (
    ArticleRevisionRow,
    ArticleRow,
    ChangeCounterRow,
    ClusterRow,
    ParagraphRow,
)
from storage.models.base import Base, BigId, Json, UTCDateTime
from storage.models.crawl import CrawlRunRow, PageRow, SourceLockRow, SourceRow, UrlStateRow
from storage.models.dedup import (
    ArticleSignatureRow,
    DedupSchemeRow,
    LshBandRow,
    ParagraphBandRow,
    ParagraphGroupRow,
)

__all__ = [
    "ArticleRevisionRow",
    "ArticleRow",
    "ArticleSignatureRow",
    "Base",
    "BigId",
    "ChangeCounterRow",
    "ClusterRow",
    "CrawlRunRow",
    "DedupSchemeRow",
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
