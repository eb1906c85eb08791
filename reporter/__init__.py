"""reporter: source-comparison briefings for news."""

from __future__ import annotations

__version__ = "0.1.0"
