"""The analyst's desk: a local web interface over a case (``docket serve``)."""
