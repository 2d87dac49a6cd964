"""The ORM models; importing this module registers every table on ``Base.metadata``."""

from storage.models.articles import ArticleRevisionRow, ArticleRow, ClusterRow, ParagraphRow
from storage.models.base import Base, BigId, Json, UTCDateTime
from storage.models.crawl import CrawlRunRow, PageRow, SourceLockRow, SourceRow, UrlStateRow

__all__ = [
    "ArticleRevisionRow",
    "ArticleRow",
    "Base",
    "BigId",
    "ClusterRow",
    "CrawlRunRow",
    "Json",
    "PageRow",
    "ParagraphRow",
    "SourceLockRow",
    "SourceRow",
    "UTCDateTime",
    "UrlStateRow",
]
