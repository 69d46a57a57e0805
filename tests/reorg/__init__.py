"""Year rollover, the reorganisation tool and the council lineage (issue 7, items 4–5)."""
