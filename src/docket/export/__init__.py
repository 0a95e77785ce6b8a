"""Exports: FollowTheMoney, CSV, GEXF and the HTML report."""
