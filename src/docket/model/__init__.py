"""The nouns of Docket, the contract between stages: items (statuses, segments, catalogue
rows), extract results and their children, detections, mentions, records, member
references and error codes. Imports nothing of Docket's but ``docket.text``."""

from docket.model.errors import Code, DocketError, ExtractError
from docket.model.items import Segment, Status
from docket.model.mentions import Mention
from docket.model.refs import MemberRef
from docket.model.results import Child, ExtractResult

__all__ = [
    "Child",
    "Code",
    "DocketError",
    "ExtractError",
    "ExtractResult",
    "MemberRef",
    "Mention",
    "Segment",
    "Status",
]
