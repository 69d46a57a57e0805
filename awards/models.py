"""Award catalogue, ballots, proposals and decisions (built in the awards issue)."""
