"""The stage names and transitions, as most of the code imports them.

The facts themselves are declared once, per stage, in ``cases/workflow.py``; this module only
re-exports the views of them that callers use.
"""

from .workflow import DIRECT, INACTIVE, REASON_REQUIRED, TRANSITIONS, Stage, allowed_next, direct_next

__all__ = ["DIRECT", "INACTIVE", "REASON_REQUIRED", "TRANSITIONS", "Stage", "allowed_next", "direct_next"]
