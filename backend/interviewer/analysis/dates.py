"""Date ranges in resumes ("Mar 2019 - Present", "2015-2019", "04/2022 – now") and
the months of experience they add up to once overlaps are merged.

Months are counted inclusively, as resumes mean them: "Jan 2020 - Dec 2021" is 24
months. A year alone starts in January and ends in December ("2015-2019" is five
years), but never after ``today``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 1}

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_YEAR = r"(?:19|20)\d\d"
_DATE = (
    rf"(?:{_MONTH}\.?,?\s*(?:{_YEAR}|'\d\d)"             # Mar 2019, Sept. 2018, Jan '20
    rf"|{_SEASON}\s+{_YEAR}"                               # Summer 2021
    rf"|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}"              # 04/2022, 4.2022
    rf"|{_YEAR}\s*[/.-]\s*(?:0[1-9]|1[0-2])(?![\d])"      # 2022-04, 2022/04
    rf"|{_YEAR})"                                          # 2015
)
_NOW = r"(?:present|current(?:ly)?|now|today|ongoing|to\s+date|till\s+date|date)"
_SEP = r"(?:\s*(?:-{1,2}|–|—|−|~|→|->|=>)\s*|\s+(?:to|until|till|through|thru)\s+)"
RANGE = re.compile(
    rf"(?<![\w/.])(?P<start>{_DATE})(?P<sep>{_SEP})(?P<end>{_DATE}|{_NOW})(?![\w/])",
    re.IGNORECASE)
SINCE = re.compile(rf"\b(?:since|from)\s+(?P<start>{_DATE})(?![\w/])(?!{_SEP})", re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    start: int  # months since year 0 (year * 12 + month - 1)
    end: int    # inclusive
    current: bool
    text: str

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    @property
    def start_date(self) -> date:
        return date(self.start // 12, self.start % 12 + 1, 1)

    @property
    def end_date(self) -> date:
        return date(self.end // 12, self.end % 12 + 1, 1)


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def parse_date(text: str, *, is_end: bool = False) -> int | None:
    """One date as a month index; a bare year is January (start) or December (end)."""
    t = text.strip().lower().rstrip(".")
    m = re.fullmatch(rf"({_MONTH})\.?,?\s*({_YEAR}|'\d\d)", t)
    if m:
        year = m.group(2)
        y = 2000 + int(year[1:]) if year.startswith("'") else int(year)
        return y * 12 + _MONTHS[m.group(1)[:3]] - 1
    m = re.fullmatch(rf"({_SEASON})\s+({_YEAR})", t)
    if m:
        return int(m.group(2)) * 12 + _SEASONS[m.group(1)] - 1
    m = re.fullmatch(rf"(0?[1-9]|1[0-2])\s*[/.]\s*({_YEAR})", t)
    if m:
        return int(m.group(2)) * 12 + int(m.group(1)) - 1
    m = re.fullmatch(rf"({_YEAR})\s*[/.-]\s*(0[1-9]|1[0-2])", t)
    if m:
        return int(m.group(1)) * 12 + int(m.group(2)) - 1
    m = re.fullmatch(_YEAR, t)
    if m:
        return int(t) * 12 + (11 if is_end else 0)
    return None


def find_ranges(text: str, today: date) -> list[DateRange]:
    """Every date range in text; "present" is today, ends are capped at today,
    and ranges that start in the future or end before they begin are dropped."""
    now = month_index(today)
    found: list[DateRange] = []
    for m in RANGE.finditer(text):
        start = parse_date(m.group("start"))
        end_text = m.group("end")
        current = parse_date(end_text, is_end=True) is None
        end = now if current else parse_date(end_text, is_end=True)
        if start is None or end is None:
            continue
        end = min(end, now)
        if start > now or end < start:
            continue
        found.append(DateRange(start, end, current, m.group(0)))
    if not found:
        for m in SINCE.finditer(text):
            start = parse_date(m.group("start"))
            if start is not None and start <= now:
                found.append(DateRange(start, now, True, m.group(0)))
    return found


def merged_months(ranges: list[DateRange]) -> int:
    """Months covered by the ranges, counting overlapping months once."""
    total = 0
    current: tuple[int, int] | None = None  # the merged run being extended: (start, end)
    for r in sorted(ranges, key=lambda r: (r.start, r.end)):
        if current is None or r.start > current[1] + 1:
            if current is not None:
                total += current[1] - current[0] + 1
            current = (r.start, r.end)
        else:
            current = (current[0], max(current[1], r.end))
    if current is not None:
        total += current[1] - current[0] + 1
    return total


def years_of(ranges: list[DateRange]) -> float:
    """Years of experience in the ranges, overlaps merged, to one decimal."""
    return round(merged_months(ranges) / 12, 1)


def latest_year(text: str) -> int | None:
    """The latest year named in text (for graduation dates and the like)."""
    years = [int(y) for y in re.findall(rf"(?<!\d)({_YEAR})(?!\d)", text)]
    short = [2000 + int(y) for y in re.findall(r"(?<![\w])'(\d\d)(?!\d)", text)]
    allyears = years + short
    return max(allyears) if allyears else None
