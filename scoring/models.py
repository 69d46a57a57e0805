"""Criteria sets and score sheets (built in the score-sheets issue)."""
