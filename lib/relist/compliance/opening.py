"""The opening line of every call script: who is calling, for whom and why, said first.

Required at the start of the call in several states (WA RCW 80.36.390, RI 5-61-3.3, NJ 56:8-128,
MS 77-3-723, UT 13-25a-103(5)); Relist opens every call with it, whatever the state.
"""

from __future__ import annotations


def call_opening(who: str, brokerage: str, street: str) -> str:
    """'Say first: "Hi, this is Alex Morgan with Harbor Realty Group, calling about your home at 1 Main St."'"""
    about = f"your home at {street}" if street.strip() else "your home that came off the market"
    if who.strip() and brokerage.strip():
        return f'Say first: "Hi, this is {who.strip()} with {brokerage.strip()}, calling about {about}."'
    return f"Say first your name, your brokerage and that you are calling about {about}."


def call_script(opening: str, point: str) -> str:
    return f"{opening} Then: {point}" if point.strip() else opening
