"""The ground floor: small helpers every app may import (Vietnamese collation, dates, numbers,
forms, uploads, security middleware, downloads, charts). It imports nothing of the project's
own apps (docs/architecture.md, tests/test_architecture.py)."""
