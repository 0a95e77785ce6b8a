"""The nouns of Docket: items, segments, statuses and error codes."""

from docket.model.errors import Code, DocketError, ExtractError
from docket.model.items import Item, Segment, Status
from docket.model.mentions import Mention

__all__ = ["Code", "DocketError", "ExtractError", "Item", "Mention", "Segment", "Status"]
