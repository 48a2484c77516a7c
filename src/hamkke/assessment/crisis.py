"""The crisis level from the area ratings of a crisis assessment (위기도 조사).

Each of the usual areas is rated 0 없음, 1 낮음, 2 주의, 3 심각. The rule, in order:
- 위기(상): any area 심각, or safety or mental health / suicide risk at 주의 or worse (a risk to life
  is never averaged away by calm areas);
- 중: any area at 주의, or three or more areas at 낮음;
- 하: otherwise.
The worker may decide another level; then a reason is required (assessment.services).
"""

from __future__ import annotations

from collections.abc import Mapping

from hamkke.cases.models import CrisisLevel

from .models import CrisisRating

LIFE_THREATENING = (CrisisRating.Area.SAFETY, CrisisRating.Area.MENTAL_HEALTH)
MANY_LOW = 3


def level_from_scores(scores: Mapping[str, int]) -> str:
    """The crisis level (CrisisLevel value) for {area: score}; areas not rated count as 0."""
    values = list(scores.values())
    if any(score >= CrisisRating.Score.SEVERE for score in values) or any(
        scores.get(area, 0) >= CrisisRating.Score.CONCERN for area in LIFE_THREATENING
    ):
        return CrisisLevel.HIGH
    if (
        any(score >= CrisisRating.Score.CONCERN for score in values)
        or sum(1 for score in values if score == CrisisRating.Score.LOW) >= MANY_LOW
    ):
        return CrisisLevel.MEDIUM
    return CrisisLevel.LOW
