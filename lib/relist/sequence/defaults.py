"""The default touch plan, from the field's playbook (shared/reference/market.md)."""

from __future__ import annotations

from datetime import time
from typing import Any

DEFAULT_SEQUENCE_ROWS: tuple[dict[str, Any], ...] = (
    {"Step": 1, "Channel": "call", "DayOffset": 0, "TimeOfDay": time(9, 0), "RepeatEveryDays": None,
     "Template": "", "Name": "First call, inside 24 hours",
     "TalkingPoint": "Your listing came off the market yesterday. What would you change if you put it back on?"},
    {"Step": 2, "Channel": "text", "DayOffset": 0, "TimeOfDay": time(11, 0), "RepeatEveryDays": None,
     "Template": "first-text", "Name": "Text after no pickup",
     "TalkingPoint": "I tried to call about your home that just came off the market. Would a quick chat about getting it sold be welcome?"},
    {"Step": 3, "Channel": "call", "DayOffset": 1, "TimeOfDay": time(17, 30), "RepeatEveryDays": None,
     "Template": "", "Name": "Call back",
     "TalkingPoint": "Different time of day. Ask what the last agent did not do."},
    {"Step": 4, "Channel": "letter", "DayOffset": 2, "TimeOfDay": None, "RepeatEveryDays": None,
     "Template": "expired-letter", "Name": "Letter",
     "TalkingPoint": "Why it did not sell, and what you would change."},
    {"Step": 5, "Channel": "door", "DayOffset": 4, "TimeOfDay": time(16, 0), "RepeatEveryDays": None,
     "Template": "door-hanger", "Name": "Drive-by + door hanger",
     "TalkingPoint": "Look at the curb appeal; hang the door hanger on the door, never the mailbox."},
    {"Step": 6, "Channel": "call", "DayOffset": 6, "TimeOfDay": time(10, 0), "RepeatEveryDays": None,
     "Template": "", "Name": "Call: did you get my letter?",
     "TalkingPoint": "Mention the letter and one thing you noticed at the house."},
    {"Step": 7, "Channel": "email", "DayOffset": 8, "TimeOfDay": time(8, 30), "RepeatEveryDays": None,
     "Template": "marketing-plan", "Name": "Email with the marketing plan",
     "TalkingPoint": "Attach the marketing-plan PDF."},
    {"Step": 8, "Channel": "call", "DayOffset": 10, "TimeOfDay": time(18, 0), "RepeatEveryDays": None,
     "Template": "", "Name": "Call: ask for the appointment",
     "TalkingPoint": "Offer fifteen minutes to walk through the plan."},
    {"Step": 9, "Channel": "call", "DayOffset": 40, "TimeOfDay": time(10, 0), "RepeatEveryDays": 30,
     "Template": "", "Name": "Nurture call (every 30 days)",
     "TalkingPoint": "Check in: market update, any change of plans?"},
    {"Step": 10, "Channel": "letter", "DayOffset": 60, "TimeOfDay": None, "RepeatEveryDays": 60,
     "Template": "nurture-letter", "Name": "Nurture letter (every 60 days)",
     "TalkingPoint": "Market update letter."},
)
